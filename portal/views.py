from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from checklists.models import Catalogue
from orders.inbox import order_tasks_for
from reviews.inbox import tasks_for


@require_safe
@login_required
def home(request):
    """Each role sees what it can do next."""
    context = {
        "catalogue": Catalogue.objects.current(),
        "tasks": tasks_for(request.user),
        "order_tasks": order_tasks_for(request.user),
    }
    return render(request, "portal/home.html", context)


def csrf_failure(request, reason=""):
    return render(request, "portal/csrf_failure.html", {"reason": reason}, status=403)
