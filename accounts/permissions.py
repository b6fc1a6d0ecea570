from rest_framework import permissions


class HasFamilyScope(permissions.BasePermission):
    """Reads need `<family>.read`, writes `<family>.write`; a view may name another with `required_scope`."""

    message = "The credentials do not grant the scope this request needs."

    def has_permission(self, request, view):
        credential = request.auth
        if credential is None:
            return False
        return credential.has_scope(required_scope(request, view))


def required_scope(request, view) -> str:
    explicit = getattr(view, "required_scope", None)
    if explicit:
        return explicit
    access = "read" if request.method in permissions.SAFE_METHODS else "write"
    return f"{view.scope_family}.{access}"
