"""What the communications admin screens share."""


class ReadOnlyRecordsMixin:
    """Records that change only through services (and admin actions calling them): no add, delete or Save."""

    # Display methods shown in place of JSON fields, so staff read words, not JSON.
    words: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        return [*(field.name for field in self.model._meta.fields), *self.words]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "show_save": False, "show_save_and_continue": False}
        return super().change_view(request, object_id, form_url, extra_context)
