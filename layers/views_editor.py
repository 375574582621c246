"""The map editor: ``/cartes/nouvelle/``, ``/cartes/<slug>/modifier/``, its live preview
(``/cartes/apercu/``), and sharing, validating, duplicating and deleting a map.

Views parse the forms, call :mod:`layers.editor` (which checks every right and validates
every layer) and render; its errors land on the fields that caused them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from observatoire.kinds import KINDS_OF_BASE
from workgroups import sharing
from workgroups.errors import SpassError
from workgroups.pages import refused
from workgroups.roles import Level

from . import editor
from .editor_forms import LayerForm, LayerFormSet, MapForm, panel_of, read_back
from .models import Layer, Map
from .services import layers_features, list_records, list_rows, viewer_config

PREFIX = "couches"
#: Objects the preview lists under its map (a count capped at PREVIEW_COUNT_CAP).
PREVIEW_ROWS = 10
PREVIEW_COUNT_CAP = 1000


def _editable(request: HttpRequest, slug: str) -> Map | HttpResponse:
    """The map when the person may edit it; 404 when they do not see it, else a 403 page."""
    carte = Map.objects.visible_to(request.user).select_related("group").filter(slug=slug).first()
    if carte is None:
        raise Http404(_("Carte introuvable."))
    if not sharing.may_edit(request.user, carte):
        return refused(
            request, _("Seuls l'auteur et les animateurs du groupe modifient cette carte.")
        )
    return carte


def _with_added_layer(data) -> Any:
    """The POST data with one more (empty) layer form: « Ajouter une couche » without
    JavaScript."""
    data = data.copy()
    total = int(data.get(f"{PREFIX}-TOTAL_FORMS", "0") or 0)
    data[f"{PREFIX}-TOTAL_FORMS"] = str(total + 1)
    data[f"{PREFIX}-{total}-base"] = "observatoire"
    for name in ("representation", "category", "color", "radius", "opacity", "stroke_width"):
        data[f"{PREFIX}-{total}-{name}"] = str(LayerForm.base_fields[name].initial)
    return data


def _save(
    request: HttpRequest,
    map_form: MapForm,
    formset,
    save: Callable[[dict[str, Any], list], Map],
) -> Map | None:
    """Validate both forms and every layer (each bad one named on its own fields), then
    ``save``; the service's errors go onto the fields too."""
    valid = map_form.is_valid() & formset.is_valid()
    kept = formset.kept()
    for form in kept:
        if not form.errors:
            try:
                editor.build_layer(form.spec())
            except ValidationError as exc:
                form.add_spec_errors(exc)
    if not valid or any(form.errors for form in kept):
        return None
    specs = [form.spec() for form in kept]
    try:
        return save(map_form.map_fields(), specs)
    except ValidationError as exc:
        for name, errors in exc.message_dict.items():
            target = name if name in map_form.fields else None
            for error in errors:
                map_form.add_error(target, error)
    return None


def _texts() -> dict[str, str]:
    """The words of ``layers/editeur.js`` (``{n}``: a number)."""
    return {
        "updating": _("Mise à jour de l'aperçu…"),
        "updated": _("Aperçu à jour."),
        "updatedWithErrors": _(
            "Aperçu à jour, sans les couches en erreur (voir les messages dans le formulaire)."
        ),
        "failed": _("L'aperçu n'a pas pu être mis à jour."),
        "nothingToFit": _("Aucun objet à cadrer."),
        "countOne": _("{n} objet dans l'aperçu."),
        "countMany": _("{n} objets dans l'aperçu."),
        "countMore": _("Plus de {n} objets dans l'aperçu."),
        "moved": _("Couche déplacée en position {n}."),
        "drawExtent": _(
            "Faites glisser sur l'aperçu pour dessiner l'emprise ; Échap pour annuler."
        ),
        "extentDrawn": _("Emprise dessinée."),
        "extentCancelled": _("Dessin de l'emprise annulé."),
    }


def _page(request, map_form, formset, carte: Map | None, status: int = 200) -> HttpResponse:
    user = request.user
    context = {
        "map_form": map_form,
        "formset": formset,
        "carte": carte,
        "config": viewer_config(carte or Map(zoom=5), "", layers=[]),
        "levels": Level.choices,
        "may_share": carte is not None and carte.author_id == user.pk,
        "may_validate": carte is not None and sharing.may_validate(user, carte),
        "kinds_of_base": {base: list(kinds) for base, kinds in KINDS_OF_BASE.items()},
        "texts": _texts(),
    }
    return render(request, "layers/editor.html", context, status=status)


def _form_page(
    request: HttpRequest,
    carte: Map | None,
    save: Callable[[MapForm, dict[str, Any], list], Map],
    initial: tuple[dict[str, Any], list[dict[str, Any]]],
    groups=None,
) -> HttpResponse:
    """GET: the forms with ``initial``; POST: « Ajouter une couche » re-renders with one
    more layer, « Enregistrer » saves and goes back to the editor (400 with the errors)."""
    if request.method != "POST":
        map_initial, layers_initial = initial
        map_form = MapForm(groups=groups, initial=map_initial)
        return _page(request, map_form, LayerFormSet(prefix=PREFIX, initial=layers_initial), carte)
    adding = "ajouter" in request.POST
    data = _with_added_layer(request.POST) if adding else request.POST
    map_form = MapForm(data, groups=groups)
    formset = LayerFormSet(data, prefix=PREFIX)
    if adding:
        return _page(request, map_form, formset, carte)
    saved = _save(request, map_form, formset, lambda f, s: save(map_form, f, s))
    if saved is None:
        return _page(request, map_form, formset, carte, status=400)
    if carte is None:
        messages.success(
            request, _("Carte créée. Elle reste privée tant que vous ne la partagez pas.")
        )
    else:
        messages.success(request, _("Carte enregistrée."))
    return redirect("layers:edit", slug=saved.slug)


@login_required
def new_map(request: HttpRequest) -> HttpResponse:
    groups = editor.groups_for_maps(request.user)
    if not groups.exists():
        return refused(request, _("Il faut être contributeur d'un groupe pour créer une carte."))
    # the group the person came from (« Créer une carte du groupe »), or their only one
    asked = request.GET.get("groupe", "")
    first = groups.filter(pk=asked).first() if asked.isdigit() else None
    first = first or (groups.first() if groups.count() == 1 else None)
    return _form_page(
        request,
        None,
        lambda form, fields, specs: editor.create_map(
            request.user, form.cleaned_data["group"], layers=specs, **fields
        ),
        ({"group": first, "zoom": 8}, [LayerForm.initial_of(editor.LayerSpec("observatoire"))]),
        groups=groups,
    )


@login_required
def edit_map(request: HttpRequest, slug: str) -> HttpResponse:
    carte = _editable(request, slug)
    if isinstance(carte, HttpResponse):
        return carte
    center = carte.center
    map_initial = {
        "title": carte.title,
        "description": carte.description,
        "basemap": carte.basemap,
        "center_lon": round(center.x, 6) if center else None,
        "center_lat": round(center.y, 6) if center else None,
        "zoom": carte.zoom,
        **MapForm.extent_initial(carte.extent),
    }
    layers_initial = [
        LayerForm.initial_of(editor.LayerSpec.of(layer)) for layer in carte.ordered_layers()
    ]
    return _form_page(
        request,
        carte,
        lambda form, fields, specs: editor.update_map(request.user, carte, fields, layers=specs),
        (map_initial, layers_initial),
    )


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _preview_layer(form: LayerForm) -> tuple[Layer | None, dict[str, Any]]:
    """One layer of the preview: built when valid, with its text, panel and errors."""
    answer: dict[str, Any] = {"prefix": form.prefix, "errors": {}}
    layer = None
    if form.is_valid():
        try:
            layer = editor.build_layer(form.spec())
        except ValidationError as exc:
            form.add_spec_errors(exc)
    if layer is not None:
        answer.update(
            cql=layer.advanced_filter,
            composed=read_back(layer.advanced_filter).to_cql2(),
            panel={
                name: _json_value(value) for name, value in panel_of(layer.advanced_filter).items()
            },
        )
    errors = form.errors.items()
    answer["errors"] = {form[n].auto_id: list(e) for n, e in errors if n != "__all__"}
    if form.non_field_errors():
        answer["errors"][f"id_{form.prefix}-cql"] = list(form.non_field_errors())
    return layer, answer


@login_required
@require_POST
def preview(request: HttpRequest) -> JsonResponse:
    """The editor's live preview: each layer's CQL2 composed or read back and validated (the
    French error on its field), the MapLibre configuration of the valid layers, and the first
    objects they show to the person (the preview's list alternative). Writes nothing."""
    formset = LayerFormSet(request.POST, prefix=PREFIX)
    map_form = MapForm(request.POST)
    map_form.is_valid()
    fields = {name: map_form.cleaned_data.get(name) for name in ("basemap", "zoom")}
    layers, answers = [], []
    for form in formset.kept():
        layer, answer = _preview_layer(form)
        answers.append(answer)
        if layer is not None:
            layers.append(layer)
    sketch = Map(basemap=fields["basemap"], zoom=fields["zoom"] or 5)
    features = layers_features(layers, request.user)
    return JsonResponse(
        {
            "config": viewer_config(sketch, "", layers=layers),
            "layers": answers,
            "count": features.order_by().values("pk")[: PREVIEW_COUNT_CAP + 1].count(),
            "countCap": PREVIEW_COUNT_CAP,
            "rows": [
                {"title": row.title, "kind": str(row.kind), "url": row.url}
                for row in list_rows(list_records(features)[:PREVIEW_ROWS])
            ],
        }
    )


def _act(
    request: HttpRequest, slug: str, action: Callable[[Map], object], done: str
) -> HttpResponse:
    """Run ``action`` on a map the person sees; back to the editor (or the viewer)."""
    carte = Map.objects.visible_to(request.user).select_related("group").filter(slug=slug).first()
    if carte is None:
        raise Http404(_("Carte introuvable."))
    try:
        result = action(carte)
    except SpassError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
        if isinstance(result, Map) and result.pk != carte.pk:
            return redirect("layers:edit", slug=result.slug)
    back = "layers:edit" if sharing.may_edit(request.user, carte) else "layers:viewer"
    return redirect(back, slug=carte.slug)


@login_required
@require_POST
def share(request: HttpRequest, slug: str) -> HttpResponse:
    level = request.POST.get("level", "")
    return _act(
        request,
        slug,
        lambda carte: editor.share_map(request.user, carte, level),
        _("Niveau de partage enregistré."),
    )


@login_required
@require_POST
def validate(request: HttpRequest, slug: str) -> HttpResponse:
    return _act(
        request, slug, lambda carte: editor.validate_map(request.user, carte), _("Carte validée.")
    )


@login_required
@require_POST
def duplicate(request: HttpRequest, slug: str) -> HttpResponse:
    return _act(
        request,
        slug,
        lambda carte: editor.duplicate_map(request.user, carte),
        _("Copie créée : elle est privée, à vous de la modifier et de la partager."),
    )


@login_required
def delete(request: HttpRequest, slug: str) -> HttpResponse:
    """A confirmation page (GET), then the deletion (POST)."""
    carte = _editable(request, slug)
    if isinstance(carte, HttpResponse):
        return carte
    if request.method == "POST":
        try:
            editor.delete_map(request.user, carte)
        except SpassError as exc:
            return refused(request, exc.message)
        messages.success(request, _("Carte « %(title)s » supprimée.") % {"title": carte.title})
        return redirect("layers:map-list")
    return render(request, "layers/delete.html", {"carte": carte})
