from django.utils.cache import add_never_cache_headers


def private_pages_not_cached(get_response):
    """Pages of logged-in users may hold filing data: no shared or browser cache keeps them."""

    def middleware(request):
        response = get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
            response.headers["Cache-Control"] += ", no-store, private"
        return response

    return middleware
