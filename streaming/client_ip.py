"""The visitor's address, also behind reverse proxies of our own (login throttling, feedback)."""

from streaming.conf import setting


def client_ip(request) -> str | None:
    """The address the outermost of our own proxies saw, or the connection's without any.

    Behind a proxy every request comes from the proxy's address, so a lockout "by username and
    address" would lock that person out everywhere. KOTIKANAVA_TRUSTED_PROXIES says how many
    proxies of our own append to X-Forwarded-For; anything further left was written by the
    client and is not trusted.
    """
    proxies = setting("TRUSTED_PROXIES")
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
