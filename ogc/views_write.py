"""The writes of the OGC API (Features Part 4): ``POST`` and ``OPTIONS`` on
``/collections/{id}/items``; ``PUT``, ``PATCH``, ``DELETE`` and ``OPTIONS`` on
``/items/{featureId}``.

Each answer carries ``Allow``: what this person may do here (:mod:`ogc.transactions`). Who
asks is read as for the reads (Basic, Token, session — which must then carry its CSRF token —
or a feed key, which only reads: 403). An anonymous write is a 401 asking for credentials, a
write on a feature the person may not see a 404 (the GET's), one they see but may not edit a
403. Every write runs in one transaction around the service call: an error writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.utils.translation import gettext as _
from pygeoapi import l10n

from observatoire import services
from observatoire.catalogue import COLLECTIONS, Collection
from workgroups.edge import Person, Unauthorized, error_response, mark_personal, person
from workgroups.errors import NotAllowed

from . import extra
from . import transactions as tx
from .api import get_api
from .features import NotFound, item_document
from .params import COMMON, ParameterError, check_known

#: What a write answer depends on besides the URL.
VARY = ("Authorization", "Cookie", "Accept-Language")


@dataclass
class _Reply:
    """The ``Allow`` of the answer, set as soon as it is known."""

    allow: tuple[str, ...] = tx.READ


def _answer(
    request: HttpRequest,
    collection_id: str,
    work: Callable[[Person, Collection, _Reply], HttpResponse],
) -> HttpResponse:
    """Resolve the collection and the person, run ``work``, translate its refusals into the
    one error body, and add ``Allow``."""
    reply = _Reply()
    collection = COLLECTIONS.get(collection_id)
    if collection is None and extra.known(collection_id):  # contributed: read only
        response = error_response(
            405, _("La collection « %(id)s » se lit seulement.") % {"id": collection_id}
        )
        response["Allow"] = ", ".join(tx.READ)
        return response
    if collection is None:
        return error_response(404, _("Collection inconnue : « %(id)s ».") % {"id": collection_id})
    try:
        who = person(request)
    except Unauthorized as exc:  # wrong credentials: nothing but reading is sure
        response = exc.response
        response["Allow"] = ", ".join(tx.READ)
        return response
    try:
        check_known(request.GET, COMMON)
        response = work(who, collection, reply)
    except ParameterError as exc:
        response = error_response(400, exc.message, "InvalidParameterValue")
    except tx.Refused as exc:
        response = error_response(exc.status, exc.message)
    except NotFound as exc:
        response = error_response(404, str(exc))
    except NotAllowed as exc:
        response = error_response(403, exc.message)
    except ValidationError as exc:
        response = error_response(400, tx.describe(exc), "InvalidParameterValue")
    response["Allow"] = ", ".join(reply.allow)
    response["Cache-Control"] = "no-store"
    return mark_personal(response, who.personal, vary=VARY)


def _may_write(request: HttpRequest, who: Person) -> None:
    """401 for the anonymous, 403 for a reading feed key; a session must carry its CSRF
    token."""
    if who.read_only:
        raise tx.Refused(
            403,
            _(
                "Cette clé de flux ne sert qu'à lire : pour modifier, créez une clé « lecture "
                "et écriture » sur /profil/cles/, ou identifiez-vous (HTTP Basic avec votre "
                "compte, ou « Authorization: Token … »)."
            ),
        )
    if not who.user.is_authenticated:
        raise tx.Refused(
            401,
            _(
                "Identifiez-vous pour modifier (HTTP Basic avec votre compte, ou "
                "« Authorization: Token … ») : sans compte, on ne fait que lire."
            ),
        )
    if not request.META.get("HTTP_AUTHORIZATION"):
        refusal = CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, None, (), {})
        if refusal is not None:
            raise tx.Refused(403, _("Jeton CSRF absent ou incorrect : rechargez la page."))


def _not_found(feature_id: str) -> NotFound:
    return NotFound(_("Objet introuvable : « %(id)s ».") % {"id": feature_id})


def _method_not_allowed(request: HttpRequest) -> HttpResponse:
    return error_response(
        405, _("Méthode %(method)s non proposée ici.") % {"method": request.method}
    )


def _options(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=204)


# --- /collections/{id}/items --------------------------------------------------------------


def on_items(request: HttpRequest, collection_id: str) -> HttpResponse:
    """``POST`` (create) and ``OPTIONS`` of a collection's items."""

    def work(who: Person, collection: Collection, reply: _Reply) -> HttpResponse:
        reply.allow = tx.items_allow(who)
        if request.method == "OPTIONS":
            return _options(request)
        if request.method != "POST":
            return _method_not_allowed(request)
        _may_write(request, who)
        return _create(request, who, collection)

    return _answer(request, collection_id, work)


def _create(request: HttpRequest, who: Person, collection: Collection) -> HttpResponse:
    document = tx.read_feature(tx.read_body(request, tx.FEATURE_TYPES))
    crs = tx.content_crs(request)
    with transaction.atomic():
        geom = tx.read_geometry(document["geometry"], crs)
        changes = tx.changes_of(collection, document.get("properties") or {}, partial=False)
        group = tx.creation_group(who.user, changes.group)
        level = {"level": changes.level} if changes.level is not None else {}
        resource = services.create_resource(who.user, group, **level, geom=geom, **changes.fields)
    api = get_api(request.build_absolute_uri(reverse("ogc:landing")).rstrip("/"))
    locale = l10n.str2locale(api.locales[0])
    headers, body = item_document(
        api, None, locale, QueryDict(), collection.id, str(resource.pk), who.user
    )
    response = HttpResponse(body, status=201)
    for name, value in headers.items():
        response[name] = value
    response["Location"] = f"{api.get_collections_url()}/{collection.id}/items/{resource.pk}"
    return response


# --- /collections/{id}/items/{featureId} --------------------------------------------------


def on_item(request: HttpRequest, collection_id: str, feature_id: str) -> HttpResponse:
    """``PUT`` (replace), ``PATCH`` (JSON merge patch), ``DELETE`` and ``OPTIONS`` of a
    feature."""

    def work(who: Person, collection: Collection, reply: _Reply) -> HttpResponse:
        if request.method == "OPTIONS":
            reply.allow = tx.item_allow(who, tx.visible_feature(who.user, collection, feature_id))
            return _options(request)
        if request.method not in tx.WRITE_ITEM:
            reply.allow = tx.item_allow(who, tx.visible_feature(who.user, collection, feature_id))
            return _method_not_allowed(request)
        reply.allow = tx.item_allow(who, None) if who.user.is_authenticated else tx.READ
        _may_write(request, who)
        with transaction.atomic():
            resource = tx.visible_feature(who.user, collection, feature_id, lock=True)
            reply.allow = tx.item_allow(who, resource)
            if resource is None:
                raise _not_found(feature_id)
            if "PUT" not in reply.allow:
                raise NotAllowed(
                    _("Vous voyez cet objet mais ne pouvez pas le modifier ni le supprimer.")
                )
            tx.check_if_match(request, resource)
            if request.method == "DELETE":
                services.delete_resource(who.user, resource)
                return HttpResponse(status=204)
            resource = _change(request, who, collection, resource)
        response = HttpResponse(status=204)
        response["ETag"] = tx.etag(resource.pk, resource.updated_at)
        return response

    return _answer(request, collection_id, work)


def _change(request: HttpRequest, who: Person, collection: Collection, resource):
    """PUT or PATCH ``resource`` (locked, editable) with the body sent."""
    partial = request.method == "PATCH"
    if partial:
        document = tx.read_body(request, tx.PATCH_TYPES)
    else:
        document = tx.read_feature(tx.read_body(request, tx.FEATURE_TYPES))
        if document.get("id") not in (None, resource.pk, str(resource.pk)):
            raise tx.Refused(
                400,
                _("Propriété « id » : %(sent)s n'est pas l'identifiant de l'objet (%(id)s).")
                % {"sent": document["id"], "id": resource.pk},
            )
    crs = tx.content_crs(request)
    changes = tx.changes_of(
        collection, document.get("properties") or {}, partial=partial, current=resource
    )
    tx.check_same_group(resource, changes.group)
    fields = dict(changes.fields)
    if "geometry" in document:
        fields["geom"] = tx.read_geometry(document["geometry"], crs)
    if changes.level is not None:
        fields["level"] = changes.level
    return services.update_resource(who.user, resource, **fields)
