from celery import shared_task

from . import services


@shared_task(name="propdesk.notices.fan_out")
def notice_fan_out(notice_id: int) -> int:
    """Notify every customer in a published notice's scope; re-runnable (dedupe keys)."""
    return services.notice_fan_out(notice_id=notice_id)
