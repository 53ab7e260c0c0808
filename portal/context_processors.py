"""Values every page's navbar needs."""

from functools import cache

from reviews.inbox import task_count


def tasks(request) -> dict:
    """The number of tasks waiting for the user, counted only if the page shows it (a callable:
    the template calls it, once)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"task_count": cache(lambda: task_count(user))}
