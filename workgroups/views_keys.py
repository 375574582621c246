"""``/profil/cles/``: a person's feed keys — create one (named, reading or writing; its
value is shown once, with the addresses to paste in QGIS and uMap), see them, revoke."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import keys
from .hooks import key_addresses
from .models import FeedKey


class KeyForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nom de la clé"),
        max_length=100,
        help_text=gettext_lazy("Où elle sert : « QGIS bureau », « uMap commune »…"),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Portée"),
        choices=FeedKey.Scope.choices,
        initial=FeedKey.Scope.READ,
        widget=forms.RadioSelect,
    )
    group = forms.ChoiceField(
        label=gettext_lazy("Restreinte à un groupe"),
        required=False,
        help_text=gettext_lazy(
            "La clé n'ouvre alors que ce que vous voyez dans ce groupe (vide : tout ce que "
            "vous voyez)."
        ),
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        groups = keys.groups_for_keys(user).values_list("slug", "name")[:200] if user else []
        self.fields["group"].choices = [("", gettext_lazy("Aucune restriction")), *groups]


@login_required
def key_page(request: HttpRequest) -> HttpResponse:
    form = KeyForm(request.POST or None, user=request.user)
    made = None
    if request.method == "POST" and form.is_valid():
        try:
            made = keys.create(
                request.user,
                form.cleaned_data["name"],
                form.cleaned_data["scope"],
                form.cleaned_data["group"] or None,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form = KeyForm(user=request.user)
    context = {
        "form": form,
        "made": made,
        "addresses": key_addresses(request, made.key) if made else [],
        "keys": list(keys.keys_of(request.user).select_related("group")[: keys.MAX_KEYS * 2]),
    }
    return render(request, "accounts/keys.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    key = keys.revoke(request.user, pk)
    if key is None:
        raise Http404(_("Clé introuvable."))
    messages.success(
        request, _("La clé « %s » est révoquée : elle ne donne plus accès à rien.") % key.label
    )
    return redirect("workgroups:keys")
