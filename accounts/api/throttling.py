from rest_framework.throttling import BaseThrottle

from accounts.ratelimit import count_request


class ApiKeyRateLimit(BaseThrottle):
    """Every REST family's requests made with an API key count against its limit (accounts.ratelimit); past it
    `RateLimitExceeded` reaches the family's exception handler, which words the 429."""

    def allow_request(self, request, view):
        api_key = getattr(request.auth, "api_key", None)
        if api_key is not None:
            count_request(api_key)
        return True
