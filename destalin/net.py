from allauth.core.internal.httpkit import get_client_ip


def client_ip(request):
    """The address rate limits count by: allauth's answer, so that sign-in limits and ours
    (joining, later posting) agree on who the client is."""
    # With no usable address (a unix socket, a malformed proxy header) everyone shares one
    # bucket rather than the limit failing on a non-address.
    return get_client_ip(request) or "0.0.0.0"
