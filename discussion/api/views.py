"""``/api/v1/resources/<id>/comments/``: the discussion of a resource, for whoever sees it
(404 otherwise), newest first, paginated; ``POST {"body", "parent"?}`` comments (signed in)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from observatoire.api.pagination import ListPagination
from workgroups.api.authentication import PersonalResponseMixin

from .. import services
from ..models import Comment


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    author = serializers.CharField(read_only=True)
    body = serializers.CharField(max_length=5000)
    parent = serializers.IntegerField(required=False, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    edited_at = serializers.DateTimeField(read_only=True, allow_null=True)
    hidden = serializers.BooleanField(read_only=True)
    hidden_reason = serializers.CharField(read_only=True)
    replies = serializers.ListField(child=serializers.DictField(), read_only=True)


def comment_data(comment: Comment, replies: bool = True) -> dict[str, Any]:
    hidden = comment.hidden_at is not None
    return {
        "id": comment.pk,
        "author": comment.author.username,
        "body": "" if hidden or comment.deleted_at else comment.body,
        "parent": comment.parent_id,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "deleted": comment.deleted_at is not None,
        "hidden": hidden,
        "hidden_reason": comment.hidden_reason if hidden else "",
        **(
            {"replies": [comment_data(r, replies=False) for r in comment.replies.all()]}
            if replies
            else {}
        ),
    }


class ResourceCommentsView(PersonalResponseMixin, APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    label = "observatoire.resource"

    @extend_schema(responses=CommentSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        _target, thing = services.visible_thing(request.user, self.label, pk)
        pages = ListPagination()
        rows = pages.paginate_queryset(services.thread(thing), request, view=self)
        return pages.get_paginated_response([comment_data(c) for c in rows])

    @extend_schema(request=CommentSerializer, responses=CommentSerializer)
    def post(self, request: Request, pk: int) -> Response:
        _target, thing = services.visible_thing(request.user, self.label, pk)
        body = CommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        parent_id = body.validated_data.get("parent")
        parent = services.comment_on(thing, parent_id) if parent_id else None
        comment = services.post(request.user, thing, body.validated_data["body"], parent)
        return Response(comment_data(comment, replies=False), status=201)
