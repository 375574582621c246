"""``/api/v1/publications/``: writing carnets over real HTTP clients of the API — create,
autosave by PATCH with the version, replace, delete, share, validate, uploads — and every bad
input of the issue answered in French without a partial write."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from publications.models import Carnet, CarnetMedia
from workgroups.roles import Level

from .conftest import png_bytes, png_upload, text_block

pytestmark = pytest.mark.django_db
API = "/api/v1/publications/"


def _create(client, **extra) -> dict:
    body = {"group": "groupe-matrice", "title": "Mon carnet", "blocks": [text_block()], **extra}
    response = client.post(API, body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_a_contributeur_writes_and_autosaves_a_carnet(cast, client_for):
    client = client_for("contributeur")
    created = _create(client)
    assert created["slug"] == "mon-carnet" and created["version"] == 1
    assert created["level"] == Level.UTILISATEUR
    url = f"{API}{created['slug']}/"
    patched = client.patch(
        url,
        {"version": 1, "subtitle": "Sous-titre", "blocks": [text_block("Autre.")]},
        format="json",
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["version"] == 2
    assert patched.json()["blocks"] == [{"type": "text", "markdown": "Autre."}]
    replaced = client.put(url, {"version": 2, "title": "Titre neuf", "blocks": []}, format="json")
    assert replaced.status_code == 200 and replaced.json()["title"] == "Titre neuf"
    assert client.get(url).json()["version"] == 3
    assert client.delete(url).status_code == 204
    assert not Carnet.objects.exists()


def test_a_lecteur_may_not_create_nor_an_anonymous(cast, client_for):
    body = {"group": "groupe-matrice", "title": "Non", "blocks": []}
    assert client_for("lecteur").post(API, body, format="json").status_code == 403
    assert client_for("anonymous").post(API, body, format="json").status_code in (401, 403)
    assert not Carnet.objects.exists()


def test_a_wrong_block_is_a_french_400_naming_index_and_field(cast, client_for):
    client = client_for("contributeur")
    created = _create(client)
    response = client.patch(
        f"{API}{created['slug']}/",
        {"version": 1, "blocks": [text_block(), {"type": "photo", "images": [{"media": 1}]}]},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["blocks[1].images[0].alt"]
    assert body["blocks[1].images[0].alt"][0].startswith("Bloc n° 2 (photo)")
    carnet = Carnet.objects.get()
    assert carnet.version == 1 and carnet.blocks == [text_block()]


def test_a_block_pointing_to_a_resource_the_author_cannot_see_is_refused(
    cast, client_for, resources
):
    """The private resource is the author's; the contributeur (another member) may not put
    it in a card, nor its médiathèque photo in a gallery; the rest of the states they may."""
    client = client_for("contributeur")
    created = _create(client)
    url = f"{API}{created['slug']}/"
    hidden = resources["cards"]["prive"].pk
    refused = client.patch(
        url,
        {"version": 1, "blocks": [{"type": "resources", "resources": [hidden]}]},
        format="json",
    )
    assert refused.status_code == 400
    assert "pas le droit de la voir" in refused.json()["blocks[0].resources[0]"][0]
    photo, attachment = resources["photos"]["prive"]
    gallery = {
        "type": "photo",
        "images": [{"resource": photo.pk, "attachment": attachment.pk, "alt": "Photo"}],
    }
    refused = client.patch(url, {"version": 1, "blocks": [gallery]}, format="json")
    assert refused.status_code == 400 and "blocks[0].images[0].resource" in refused.json()
    seen = [resources["cards"][s].pk for s in ("groupe", "communaute_attente", "public")]
    accepted = client.patch(
        url, {"version": 1, "blocks": [{"type": "resources", "resources": seen}]}, format="json"
    )
    assert accepted.status_code == 200, accepted.content
    assert Carnet.objects.get().version == 2


def test_an_empty_carnet_is_not_shared(cast, client_for):
    client = client_for("author")
    created = _create(client, blocks=[])
    url = f"{API}{created['slug']}/"
    for attempt in (
        client.patch(url, {"version": 1, "level": "groupe"}, format="json"),
        client.post(f"{url}share/", {"level": "public"}, format="json"),
        client.patch(
            url, {"version": 1, "level": "public", "blocks": [{"type": "separator"}]}, format="json"
        ),
    ):
        assert attempt.status_code == 400
        assert "Un carnet vide ne peut pas être partagé" in attempt.json()["level"][0]
    assert Carnet.objects.get().level == Level.UTILISATEUR
    created_shared = client.post(
        API, {"group": "groupe-matrice", "title": "Vide", "level": "public"}, format="json"
    )
    assert created_shared.status_code == 400 and Carnet.objects.count() == 1


def test_a_stale_version_is_a_409_and_nothing_is_lost(cast, client_for):
    """Two editors start from version 1; the first saves; the second is told, in French,
    that the carnet changed, and the first one's text stays."""
    author, animateur = client_for("author"), client_for("animateur")
    created = _create(author, level="groupe")
    url = f"{API}{created['slug']}/"
    first = animateur.patch(url, {"version": 1, "blocks": [text_block("Version A")]}, format="json")
    assert first.status_code == 200
    second = author.patch(url, {"version": 1, "blocks": [text_block("Version B")]}, format="json")
    assert second.status_code == 409
    assert "modifié entre-temps" in second.json()["detail"]
    carnet = Carnet.objects.get()
    assert carnet.blocks == [text_block("Version A")] and carnet.version == 2
    missing = author.patch(url, {"blocks": [text_block("Sans version")]}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()


def test_the_animateur_names_co_authors_who_may_then_edit(cast, client_for):
    author = client_for("author")
    created = _create(author, level="groupe")
    url = f"{API}{created['slug']}/"
    other = client_for("contributeur")
    assert other.patch(url, {"version": 1, "title": "X"}, format="json").status_code == 403
    # the author may not choose co-authors, the animateur does; a lecteur cannot be one
    refused = author.patch(url, {"version": 1, "editors": ["contributeur"]}, format="json")
    assert refused.status_code == 403
    wrong = client_for("animateur").patch(
        url, {"version": 1, "editors": ["lecteur"]}, format="json"
    )
    assert wrong.status_code == 400 and "lecteur" in wrong.json()["editors"][0]
    named = client_for("animateur").patch(
        url, {"version": 1, "editors": ["contributeur"]}, format="json"
    )
    assert named.status_code == 200 and named.json()["editors"] == ["contributeur"]
    edited = other.patch(url, {"version": 2, "title": "Titre à deux"}, format="json")
    assert edited.status_code == 200, edited.content
    carnet = Carnet.objects.get()
    assert Carnet.objects.editable_by(cast["contributeur"]).filter(pk=carnet.pk).count() == 1
    # but the level stays the author's
    moved = other.patch(url, {"version": 3, "level": "public"}, format="json")
    assert moved.status_code == 400 and "level" in moved.json()


def test_validation_by_the_animateur(cast, client_for):
    created = _create(client_for("author"), level="public")
    assert created["validated"] is False
    url = f"{API}{created['slug']}/"
    assert client_for("anonymous").get(url).status_code == 404
    assert client_for("expert").post(f"{url}validate/").status_code == 403
    validated = client_for("animateur").post(f"{url}validate/")
    assert validated.status_code == 200 and validated.json()["validated"] is True
    assert client_for("anonymous").get(url).status_code == 200


class TestUploads:
    def _url(self, client) -> str:
        return f"{API}{_create(client)['slug']}/media/"

    def test_an_image_is_stored_and_served_to_those_who_see_the_carnet(self, cast, client_for):
        client = client_for("author")
        response = client.post(self._url(client), {"file": png_upload()}, format="multipart")
        assert response.status_code == 201, response.content
        assert response.json()["kind"] == "image" and response.json()["width"] == 40
        media_url = response.json()["url"]
        from django.test import Client

        reader = Client()
        assert reader.get(media_url).status_code == 404  # the carnet is private
        reader.force_login(cast["author"])
        served = reader.get(media_url)
        assert served.status_code == 200 and served["Content-Type"] == "image/png"

    def test_not_an_image_is_refused(self, cast, client_for):
        client = client_for("author")
        fake = SimpleUploadedFile("photo.jpg", b"<html><script>x</script></html>", "image/jpeg")
        response = client.post(self._url(client), {"file": fake}, format="multipart")
        assert response.status_code == 400
        assert "ni une image" in response.json()["file"][0]
        assert not CarnetMedia.objects.exists()

    def test_an_image_too_big_is_refused(self, cast, client_for, settings):
        settings.SPASS = {**settings.SPASS, "MAX_UPLOAD_BYTES": 1000}
        client = client_for("author")
        big = SimpleUploadedFile(
            "grand.png", png_bytes(size=(400, 400), colour="#123456") + b"0" * 2000
        )
        response = client.post(self._url(client), {"file": big}, format="multipart")
        assert response.status_code == 400
        assert "dépasse la taille maximale" in response.json()["file"][0]
        assert not CarnetMedia.objects.exists()

    def test_a_video_over_the_limit_is_refused_and_under_it_kept(self, cast, client_for, settings):
        settings.SPASS = {**settings.SPASS, "PUBLICATION_VIDEO_MAX_BYTES": 5000}
        client = client_for("author")
        url = self._url(client)
        head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
        big = SimpleUploadedFile("film.mp4", head + b"\x00" * 6000, "video/mp4")
        response = client.post(url, {"file": big}, format="multipart")
        assert response.status_code == 400
        assert "La vidéo dépasse la taille maximale" in response.json()["file"][0]
        small = SimpleUploadedFile("film.mp4", head + b"\x00" * 100, "video/mp4")
        kept = client.post(url, {"file": small}, format="multipart")
        assert kept.status_code == 201 and kept.json()["kind"] == "video"

    def test_a_block_may_only_use_uploads_of_its_own_carnet(self, cast, client_for):
        client = client_for("author")
        url = self._url(client)
        media = client.post(url, {"file": png_upload()}, format="multipart").json()["id"]
        other = _create(client, title="Autre carnet")
        block = {"type": "photo", "images": [{"media": media, "alt": "Photo"}]}
        refused = client.patch(
            f"{API}{other['slug']}/", {"version": 1, "blocks": [block]}, format="json"
        )
        assert refused.status_code == 400 and "blocks[0].images[0].media" in refused.json()
        video = {"type": "video", "title": "Film", "media": media}
        wrong_kind = client.patch(
            url.replace("media/", ""), {"version": 1, "blocks": [video]}, format="json"
        )
        assert wrong_kind.status_code == 400 and "vidéo" in wrong_kind.json()["blocks[0].media"][0]
