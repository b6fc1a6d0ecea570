"""The `post` action of the backend family (`POST /backend/api/v1/correspondence/{id}?action=post`): the
correspondence's PDF goes to the mail house as a letter. Registered into correspondence's action
registry by postal's AppConfig, so correspondence never imports postal; errors are worded by the
backend family's own dialect."""

from rest_framework import serializers

from accounts.errors import MissingValue, NotFound
from correspondence.actions import CorrespondenceAction
from postal import selectors, services
from postal.models import REF_MAX_LENGTH


class PostActionSerializer(serializers.Serializer):
    account = serializers.CharField(
        required=False,
        max_length=16,
        help_text="The postal account that sends the letter, e.g. ABC12345; may be left out when the API key "
        "is bound to exactly one.",
    )
    ref = serializers.CharField(
        required=False,
        max_length=REF_MAX_LENGTH,
        help_text="The letter's reference; the correspondence id if left out.",
    )
    transport = serializers.JSONField(
        required=False,
        help_text='EMAIL, SMS or POST (the default), or the order to try them in, e.g. ["EMAIL", "POST"].',
    )
    email = serializers.EmailField(required=False, help_text="For EMAIL; the customer's email if left out.")
    phone = serializers.CharField(required=False, max_length=32, help_text="For SMS; the customer's phone if left out.")


class PostActionResultSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    message = serializers.CharField()
    account = serializers.CharField(help_text="The postal account the letter was sent from.")
    ref = serializers.CharField(help_text="Query the letter's status with this ref (JSON-RPC get_letter_status).")
    dbid = serializers.IntegerField()
    status = serializers.CharField()


def post(correspondence, data, credential) -> dict:
    serializer = PostActionSerializer(data=data)
    serializer.is_valid(raise_exception=True)
    given = serializer.validated_data
    code = given.get("account") or _only_account(credential)
    if code not in credential.postal_accounts:
        raise NotFound("postal account", code)
    letter = services.post_correspondence(
        correspondence,
        selectors.find_postal_account(code),
        is_test=credential.is_test,
        ref=given.get("ref"),
        transport=given.get("transport"),
        email=given.get("email", ""),
        phone=given.get("phone", ""),
    )
    return {
        "success": True,
        "message": (
            f"Correspondence {correspondence.number} is received as letter {letter.ref} on postal account {code} "
            f"and goes out by {' then '.join(letter.transports)}; follow it with get_letter_status."
        ),
        "account": code,
        "ref": letter.ref,
        "dbid": letter.dbid,
        "status": letter.status,
    }


def _only_account(credential) -> str:
    if len(credential.postal_accounts) != 1:
        raise MissingValue("account", "Name the postal account (account) that sends the letter.")
    return next(iter(credential.postal_accounts))


POST_ACTION = CorrespondenceAction(
    name="post", perform=post, scope="postal.write", request=PostActionSerializer, response=PostActionResultSerializer
)
