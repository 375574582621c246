"""OpenAPI security schemes of :class:`~workgroups.api.authentication.HeaderAuthentication`."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class HeaderAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "workgroups.api.authentication.HeaderAuthentication"
    name = ["tokenAuth", "basicAuth"]

    def get_security_definition(self, auto_schema):
        return [
            {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "« Token <clé> », clé obtenue par POST /api/v1/auth/token/.",
            },
            {"type": "http", "scheme": "basic", "description": "Lecture seule (GET)."},
        ]
