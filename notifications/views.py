"""Pages of one's notifications: the list (newest first, paginated), « marquer comme lu »,
the e-mail preference, and the one-click unsubscribe of the mails (no login: the signed link
is the credential, and it can only turn e-mails off)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from workgroups.pagination import paginate

from . import services
from .display import shown
from .mail import user_of_token
from .models import Preference

PAGE = 20


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("non-lues") == "1"
    pages = paginate(request, services.of(request.user, unread_only), per_page=PAGE)
    items = shown(list(pages.rows), request.user)
    return render(
        request,
        "notifications/list.html",
        {"pages": pages, "items": items, "unread_only": unread_only},
    )


@login_required
@require_POST
def read(request: HttpRequest) -> HttpResponse:
    """One notification (``id``) or all of them read; back to the list."""
    one = request.POST.get("id", "")
    ids = [int(one)] if one.isdigit() else None
    services.mark_read(request.user, ids)
    if ids is None:
        messages.success(request, _("Toutes vos notifications sont marquées comme lues."))
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("notifications:list")


class PreferenceForm(forms.Form):
    email = forms.ChoiceField(
        label=gettext_lazy("Recevoir les notifications par e-mail"),
        choices=Preference.Email.choices,
        widget=forms.RadioSelect,
    )


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    current = services.preference(request.user)
    form = PreferenceForm(request.POST or None, initial={"email": current.email})
    if request.method == "POST" and form.is_valid():
        services.set_email(request.user, form.cleaned_data["email"])
        messages.success(request, _("Préférence enregistrée."))
        return redirect("notifications:preferences")
    status = 400 if form.errors else 200
    return render(request, "notifications/preferences.html", {"form": form}, status=status)


@csrf_exempt  # mail clients POST here (RFC 8058); the signed token is the only credential
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user = user_of_token(token)
    if user is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        services.set_email(user, Preference.Email.NEVER)
        return render(request, "notifications/unsubscribe.html", {"done": True})
    return render(request, "notifications/unsubscribe.html", {"token": token})
