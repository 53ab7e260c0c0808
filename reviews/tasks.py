from django.tasks import task


@task
def render_report(report_id: int) -> str:
    """Background work: render, sign and store one report (see services.build_report)."""
    from reviews.services import build_report

    return build_report(report_id=report_id).status
