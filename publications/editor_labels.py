"""The words of the editor's script (``editeur.js``), translated on the server like every
other string of the platform and handed to the script in its configuration."""

from __future__ import annotations

from django.utils.translation import gettext as _


def labels() -> dict[str, str]:
    return {
        "text": _("Texte"),
        "photo": _("Photos"),
        "map": _("Carte vivante"),
        "resources": _("Fiches"),
        "video": _("Vidéo"),
        "compare": _("Avant/après"),
        "quote": _("Citation"),
        "separator": _("Séparateur"),
        "up": _("Monter"),
        "down": _("Descendre"),
        "remove": _("Supprimer le bloc"),
        "handle": _("Glisser pour déplacer"),
        "markdown": _("Texte (Markdown : ## pour un intertitre)"),
        "alt": _("Texte alternatif (obligatoire)"),
        "caption": _("Légende"),
        "credit": _("Crédit"),
        "upload": _("Déposer une image"),
        "uploadVideo": _("Déposer une vidéo"),
        "fromMediatheque": _("ou l'identifiant d'une fiche de la médiathèque et de sa photo"),
        "addImage": _("Ajouter une image"),
        "removeImage": _("Retirer l'image"),
        "image": _("Image"),
        "before": _("Avant"),
        "after": _("Après"),
        "search": _("Rechercher"),
        "searchResources": _("Chercher une fiche"),
        "searchMaps": _("Chercher une carte"),
        "add": _("Ajouter"),
        "chosen": _("Fiches choisies"),
        "mapChosen": _("Carte choisie"),
        "orLayer": _("ou une couche : base, types, filtre CQL2"),
        "base": _("Base"),
        "kinds": _("Types (séparés par des virgules)"),
        "filter": _("Filtre CQL2"),
        "color": _("Couleur"),
        "extent": _("Emprise (ouest, sud, est, nord)"),
        "steps": _("Étapes du récit"),
        "addStep": _("Ajouter une étape"),
        "step": _("Étape"),
        "show": _("Couches à montrer (positions 0, 1…)"),
        "hide": _("Couches à cacher (positions 0, 1…)"),
        "title": _("Titre"),
        "url": _("ou l'adresse de la vidéo sur un hébergeur"),
        "quoteText": _("Citation"),
        "source": _("Source"),
        "none": _("(aucune)"),
        "saving": _("Enregistrement…"),
        "saved": _("Tout est enregistré."),
        "unsaved": _("Modifications non enregistrées…"),
        "error": _("Non enregistré :"),
        "conflict": _("Conflit :"),
        "moved": _("Bloc déplacé en position %s."),
        "added": _("Bloc ajouté en position %s."),
        "removed": _("Bloc supprimé."),
        "noResult": _("Aucun résultat."),
        "uploaded": _("Fichier déposé."),
        "remove1": _("Retirer"),
        "extentMap": _(
            "Carte des emprises : l'emprise du bloc en trait plein, celles des étapes en "
            "pointillés. Déplacez la carte, puis prenez sa vue."
        ),
        "takeView": _("Prendre la vue de la carte"),
        "showExtent": _("Montrer cette emprise"),
    }
