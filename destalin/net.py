from allauth.core.internal.httpkit import get_client_ip


def client_ip(request):
    """The address rate limits count by: allauth's answer, so that sign-in limits and ours
    (joining, later posting) agree on who the client is."""
    return get_client_ip(request) or "unknown"
