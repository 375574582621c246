"""Sign-up with e-mail confirmation: the account stays inactive until its link is followed."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from .models import User


@transaction.atomic
def sign_up(form, build_absolute_uri) -> User:
    """Create an inactive account and send it the confirmation link."""
    user = form.save(commit=False)
    user.is_active = False
    user.save()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = build_absolute_uri(reverse("workgroups:confirm", args=[uid, token]))
    body = render_to_string("accounts/confirmation_email.txt", {"user": user, "link": link})
    send_mail(_("Confirmez votre compte S-PASS Territoires"), body, None, [user.email])
    return user


def confirm(uidb64: str, token: str) -> User | None:
    """Activate the account when the link is genuine; None otherwise."""
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        return None
    if user.is_active or not default_token_generator.check_token(user, token):
        return None
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user
