"""A staff member's API tokens end when their password changes or they are deactivated.

Passwords are changed in several places that are not ours (the admin's password form,
``changepassword``), so the rule sits on the model's save rather than in one service.
"""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from . import tokens
from .models import User

WATCHED = {"password", "is_active"}


@receiver(pre_save, sender=User)
def _note_sign_in_change(sender, instance: User, update_fields=None, **kwargs):
    instance._ends_tokens = False
    if instance.pk is None or (update_fields is not None and not WATCHED & set(update_fields)):
        return  # a new user has no tokens; a save of other fields (last_login) changes nothing
    before = User.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    instance._ends_tokens = before["password"] != instance.password or (
        before["is_active"] and not instance.is_active
    )


@receiver(post_save, sender=User)
def _end_tokens(sender, instance: User, **kwargs):
    if getattr(instance, "_ends_tokens", False):
        tokens.tokens_revoke_all(user=instance)
        instance._ends_tokens = False
