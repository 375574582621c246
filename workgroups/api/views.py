"""Groups, memberships, « Mon espace » and API tokens over HTTP. Views parse, call the
services, render; the services check every right."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import founding, services
from ..auth import issue_api_token, revoke_api_token
from ..models import Group, Membership
from .authentication import PersonalResponseMixin
from .serializers import (
    GroupSerializer,
    GroupWriteSerializer,
    InviteSerializer,
    MembershipSerializer,
    RoleSerializer,
    TokenSerializer,
)

MEMBER_ID = r"(?P<user_id>[0-9]{1,18})"


class GroupViewSet(PersonalResponseMixin, viewsets.ReadOnlyModelViewSet):
    """Working groups (public list) and their memberships; any account founds a group, its
    animateurs change it."""

    serializer_class = GroupSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]{1,100}"

    def _group_answer(self, group: Group, code: int = status.HTTP_200_OK) -> Response:
        counted = self.get_queryset().get(pk=group.pk)
        return Response(GroupSerializer(counted).data, status=code)

    def _fields(self, partial: bool) -> dict:
        data = GroupWriteSerializer(data=self.request.data, partial=partial)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "territory" in fields or "territory_shape" in fields:
            fields["territory"] = founding.territory_of(
                fields.pop("territory", ""), fields.pop("territory_shape", None)
            )
        return fields

    @extend_schema(request=GroupWriteSerializer, responses={201: GroupSerializer})
    def create(self, request: Request) -> Response:
        """Found a group: its founder becomes its animateur."""
        group = founding.found_group(request.user, **self._fields(partial=False))
        return self._group_answer(group, status.HTTP_201_CREATED)

    @extend_schema(request=GroupWriteSerializer, responses=GroupSerializer)
    def partial_update(self, request: Request, slug: str) -> Response:
        """Change the group's name, family, join mode, description or territory
        (animateurs)."""
        group = founding.update_group(request.user, self._group(), **self._fields(partial=True))
        return self._group_answer(group)

    def get_queryset(self):
        return services.groups_with_counts(self.request.user)

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def _group(self) -> Group:
        return get_object_or_404(Group, slug=self.kwargs["slug"])

    def _member(self, user_id: str) -> Membership:
        return get_object_or_404(
            Membership.objects.select_related("group", "user"),
            group__slug=self.kwargs["slug"],
            user_id=user_id,
        )

    def _membership(self, membership: Membership, code: int = status.HTTP_200_OK) -> Response:
        return Response(MembershipSerializer(membership).data, status=code)

    @extend_schema(responses=MembershipSerializer(many=True))
    @action(detail=True, methods=["get"])
    def members(self, request: Request, slug: str) -> Response:
        """Members of the group (members only; animateurs also see pending requests)."""
        memberships = services.members_of(request.user, self._group())
        return Response(MembershipSerializer(memberships, many=True).data)

    @extend_schema(request=None, responses={201: MembershipSerializer})
    @action(detail=True, methods=["post"])
    def join(self, request: Request, slug: str) -> Response:
        """Join an open group, accept an invitation, or ask to join."""
        membership = services.request_to_join(request.user, self._group())
        return self._membership(membership, status.HTTP_201_CREATED)

    @extend_schema(request=InviteSerializer, responses={201: MembershipSerializer})
    @action(detail=True, methods=["post"])
    def invite(self, request: Request, slug: str) -> Response:
        """Invite a person by username (animateurs)."""
        data = InviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invited, role = data.validated_data["username"], data.validated_data["role"]
        membership = services.invite(request.user, self._group(), invited, role)
        return self._membership(membership, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=MembershipSerializer)
    @action(detail=True, methods=["post"], url_path=f"members/{MEMBER_ID}/approve")
    def approve(self, request: Request, slug: str, user_id: str) -> Response:
        """Approve a request to join (animateurs)."""
        return self._membership(services.approve(request.user, self._member(user_id)))

    @extend_schema(request=RoleSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"], url_path=f"members/{MEMBER_ID}/role")
    def role(self, request: Request, slug: str, user_id: str) -> Response:
        """Change a member's role (animateurs; a group keeps at least one animateur)."""
        data = RoleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.change_role(
            request.user, self._member(user_id), data.validated_data["role"]
        )
        return self._membership(membership)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def leave(self, request: Request, slug: str) -> Response:
        """Leave the group (or withdraw a request)."""
        services.leave(request.user, self._group())
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenView(APIView):
    """Obtain (POST username/password) or revoke (DELETE) the personal API token."""

    def get_permissions(self):
        if self.request.method == "DELETE":
            return [permissions.IsAuthenticated()]
        return [permissions.AllowAny()]

    @extend_schema(request=AuthTokenSerializer, responses=TokenSerializer, auth=[])
    def post(self, request: Request) -> Response:
        data = AuthTokenSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        return Response({"token": issue_api_token(data.validated_data["user"])})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        revoke_api_token(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
