"""Portal pages: the portals by family, a portal's home (its family's layout), its sections,
the animateurs' edit form, the banner, and the block other sites embed (iframe + oEmbed).
Views parse, check, call :mod:`.services` and :mod:`.content`, and render; what a visitor
sees comes from ``visible_to(request.user)``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from observatoire.kinds import Base
from workgroups.edge import (
    feed_error,
    framable,
    oembed_response,
    oembed_target,
)
from workgroups.errors import NotAllowed
from workgroups.markdown import render_markdown
from workgroups.models import Group
from workgroups.pagination import paginate

from . import services
from .forms import PortalForm
from .models import Portal
from .sections import KNOWN, Section, home_blocks, provided

#: Portals per family on ``/portails/``.
INDEX_PAGE = 12
#: The latest resources the embeddable block shows, and its largest size (oEmbed).
EMBED_LATEST = 6
EMBED_SIZE = (480, 640)
#: The sections whose block the embeddable block shows too, when the portal shows them.
EMBED_SECTIONS = ("actualites", "agenda")
#: The blocks a family's home opens on, in order (a section key, or « membres »).
FAMILY_BLOCKS = {
    Group.Family.PROJET: ("observatoire", "agenda", "actualites"),
    Group.Family.THEME: ("mediatheque", "actualites"),
    Group.Family.ACTEUR: ("membres", "ressources", "actualites"),
}


def _not_found(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "portals/404.html", {"message": message}, status=404)


def _group(slug: str) -> Group | None:
    return Group.objects.filter(slug=slug).first()


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    families = []
    for value, label in Group.Family.choices:
        groups = Group.objects.filter(family=value).select_related("portal").order_by("name", "id")
        families.append(
            {
                "value": value,
                "label": label,
                "groups": paginate(request, groups, per_page=INDEX_PAGE, param=f"page-{value}"),
            }
        )
    return render(request, "portals/index.html", {"families": families})


def _navigation(portal: Portal, current: str = "") -> list[dict]:
    return [
        {
            "key": key,
            "label": KNOWN[key],
            "soon": provided(key) is None,
            "current": key == current,
        }
        for key in KNOWN
        if key in portal.sections
    ]


def _base_context(request: HttpRequest, group: Group, current: str = "") -> dict:
    portal = services.portal_of(group)
    request.portal_accent = portal.accent
    return {
        "group": group,
        "portal": portal,
        "introduction": render_markdown(portal.introduction),
        "nav": _navigation(portal, current),
        "can_edit": services.can_edit(request.user, group),
        "q": request.GET.get("q", "").strip()[:100],
        **_embedding(request, group),
    }


def _embedding(request: HttpRequest, group: Group) -> dict:
    """The embeddable block's address and the oEmbed discovery link of the portal's pages."""
    home = request.build_absolute_uri(reverse("portals:home", args=[group.slug]))
    oembed = reverse("portals:oembed") + "?" + urlencode({"url": home, "format": "json"})
    return {
        "embed_url": request.build_absolute_uri(reverse("portals:embed", args=[group.slug])),
        "embed_size": EMBED_SIZE,
        "oembed_url": request.build_absolute_uri(oembed),
    }


def _search(request: HttpRequest, group: Group, q: str, base: str = "") -> dict:
    rows = services.search(request.user, group, q)
    if base:
        rows = rows.filter(base=base)
    return {"results": paginate(request, rows.only("title", "kind", "base"))}


def _block(request: HttpRequest, group: Group, key: str) -> dict:
    if key == "membres":
        from .content import members

        return {"key": key, "template": "portals/_members.html", **members(request, group)}
    if key == "ressources":
        latest = services.visible_resources(request.user, group).order_by("-created_at", "-id")
        return {
            "key": key,
            "template": "portals/_latest.html",
            "latest": paginate(request, latest.only("title", "kind", "base")),
        }
    section = provided(key)
    if section is None:
        return {"key": key, "label": KNOWN[key], "template": "portals/_soon.html"}
    return _drawn(request, group, section)


def _drawn(request: HttpRequest, group: Group, section: Section) -> dict:
    return {
        "key": section.key,
        "label": section.label,
        "template": section.template,
        **section.context(request, group),
    }


def _home_blocks(request: HttpRequest, group: Group, portal: Portal) -> list[dict]:
    """The family's blocks (what it opens on first) among the sections the animateurs chose
    to show, then the home blocks of other apps."""
    keys = [k for k in FAMILY_BLOCKS[group.family] if k not in KNOWN or k in portal.sections]
    blocks = [_block(request, group, key) for key in keys]
    return blocks + [_drawn(request, group, block) for block in home_blocks()]


@require_GET
def home(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(slug)
    if group is None:
        return _not_found(
            request, _("Aucun portail ne porte l'identifiant « %(slug)s ».") % {"slug": slug}
        )
    context = _base_context(request, group)
    if context["q"]:
        context.update(_search(request, group, context["q"]))
    else:
        context["featured"] = services.featured(request.user, context["portal"])
        context["blocks"] = _home_blocks(request, group, context["portal"])
    return render(request, "portals/home.html", context)


@require_GET
def section(request: HttpRequest, slug: str, section: str) -> HttpResponse:
    group = _group(slug)
    if group is None:
        return _not_found(
            request, _("Aucun portail ne porte l'identifiant « %(slug)s ».") % {"slug": slug}
        )
    context = _base_context(request, group, section)
    provider = provided(section)
    if section not in KNOWN or provider is None or section not in context["portal"].sections:
        return _not_found(
            request, _("Ce portail n'a pas de rubrique « %(section)s ».") % {"section": section}
        )
    context["section"] = provider
    if context["q"]:
        base = section if section in Base.values else ""
        context.update(_search(request, group, context["q"], base))
    else:
        context["part"] = _drawn(request, group, provider)
    return render(request, "portals/section.html", context)


def edit(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(slug)
    if group is None:
        return _not_found(
            request, _("Aucun portail ne porte l'identifiant « %(slug)s ».") % {"slug": slug}
        )
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not services.can_edit(request.user, group):
        return render(request, "portals/403.html", {"group": group}, status=403)
    portal = services.portal_of(group)
    if request.method == "POST":
        form = PortalForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_portal(
                    request.user,
                    group,
                    banner=data["banner"],
                    remove_banner=data["remove_banner"],
                    featured_ids=data["featured"],
                    title=data["title"],
                    tagline=data["tagline"],
                    introduction=data["introduction"],
                    accent=data["accent"],
                    sections=data["sections"],
                    banner_alt=data["banner_alt"],
                )
            except NotAllowed:
                return render(request, "portals/403.html", {"group": group}, status=403)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    for message in messages:
                        form.add_error(field if field in form.fields else None, message)
            else:
                return redirect("portals:home", slug=slug)
    else:
        featured = (
            ", ".join(str(f.resource_id) for f in portal.featured_rows.all()) if portal.pk else ""
        )
        form = PortalForm(
            initial={
                "title": portal.title,
                "tagline": portal.tagline,
                "introduction": portal.introduction,
                "accent": portal.accent,
                "sections": portal.sections,
                "banner_alt": portal.banner_alt,
                "featured": featured,
            }
        )
    return render(
        request,
        "portals/edit.html",
        {"group": group, "portal": portal, "form": form, **_embedding(request, group)},
        status=400 if form.is_bound else 200,
    )


@require_GET
def banner(request: HttpRequest, slug: str) -> HttpResponse:
    portal = Portal.objects.filter(group__slug=slug).exclude(Q(banner="")).first()
    if portal is None:
        return _not_found(request, _("Ce portail n'a pas de bannière."))
    response = FileResponse(portal.banner.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
@xframe_options_exempt
def embed(request: HttpRequest, slug: str) -> HttpResponse:
    """The block a commune's own site frames: the portal's latest items for the visitor
    (anonymous, in a frame on another site: public and validated only), news and agenda."""
    group = _group(slug)
    if group is None:
        return _not_found(
            request, _("Aucun portail ne porte l'identifiant « %(slug)s ».") % {"slug": slug}
        )
    portal = services.portal_of(group)
    latest = services.visible_resources(request.user, group).order_by("-created_at", "-id")
    blocks = [
        _drawn(request, group, section)
        for section in (provided(key) for key in EMBED_SECTIONS if key in portal.sections)
        if section is not None
    ]
    context = {
        "group": group,
        "portal": portal,
        "latest": list(latest.only("title", "kind", "base")[:EMBED_LATEST]),
        "blocks": blocks,
    }
    return framable(render(request, "portals/embed.html", context))


@require_GET
def oembed(request: HttpRequest) -> HttpResponse:
    """oEmbed (rich type) for a portal's address: the iframe of its embeddable block."""
    match, who, failure = oembed_target(
        request,
        ("portals:home", "portals:embed"),
        _("Paramètre « url » : ce n'est pas l'adresse d'un portail du site."),
    )
    if failure:
        return failure
    group = _group(match.kwargs["slug"])
    if group is None:
        return feed_error(404, _("Paramètre « url » : portail introuvable."))
    portal = services.portal_of(group)
    src = request.build_absolute_uri(reverse("portals:embed", args=[group.slug]))
    return oembed_response(request, who, title=portal.title, src=src, size=EMBED_SIZE)
