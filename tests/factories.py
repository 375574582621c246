"""factory_boy factories shared by the whole suite."""

import factory
from django.contrib.gis.geos import Point

from observatoire.kinds import Base, Kind
from observatoire.models import Resource
from workgroups.models import Group, Membership, User
from workgroups.roles import Level, Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"personne{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@exemple.invalid")
    password = factory.django.Password("mot-de-passe-test")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Groupe {n}")
    slug = factory.Sequence(lambda n: f"groupe-{n}")
    family = Group.Family.PROJET
    join_mode = Group.JoinMode.DEMANDE


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    group = factory.SubFactory(GroupFactory)
    role = Role.LECTEUR
    state = Membership.State.ACTIVE


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    base = Base.OBSERVATOIRE
    kind = Kind.MARQUEUR
    title = factory.Sequence(lambda n: f"Beffroi n° {n}")
    geom = factory.LazyFunction(lambda: Point(3.0573, 50.6292, srid=4326))
    group = factory.SubFactory(GroupFactory)
    author = factory.SubFactory(UserFactory)
    level = Level.UTILISATEUR
