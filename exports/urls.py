from django.urls import re_path

from . import views
from .formats import FORMATS

app_name = "exports"
_FORMATS = "|".join(name.replace(".", r"\.") for name in FORMATS)
urlpatterns = [
    re_path(rf"^(?P<collection>[a-z0-9_-]+)\.(?P<fmt>{_FORMATS})$", views.export, name="export"),
]
