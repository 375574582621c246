"""Accounts: sign up with e-mail confirmation, log in/out, password reset, profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import services_accounts
from .forms import ProfileForm, SignUpForm


def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("observatoire:my-space")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services_accounts.sign_up(form, request.build_absolute_uri)
        return render(request, "accounts/signup_sent.html", {"email": user.email})
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/signup.html", {"form": form}, status=status)


def confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = services_accounts.confirm(uidb64, token)
    if user is None:
        return render(request, "accounts/confirm_invalid.html", status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Votre compte est confirmé. Bienvenue !"))
    return redirect("observatoire:my-space")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Profil enregistré."))
        return redirect("workgroups:profile")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/profile.html", {"form": form}, status=status)
