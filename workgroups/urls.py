from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views_accounts, views_founding, views_groups, views_keys

app_name = "workgroups"

_reset_done = reverse_lazy("workgroups:password-reset-done")
_reset_complete = reverse_lazy("workgroups:password-reset-complete")

urlpatterns = [
    path("inscription/", views_accounts.sign_up, name="signup"),
    path(
        "inscription/confirmer/<str:uidb64>/<str:token>/",
        views_accounts.confirm,
        name="confirm",
    ),
    path(
        "connexion/",
        auth_views.LoginView.as_view(template_name="accounts/login.html"),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("profil/", views_accounts.profile, name="profile"),
    path("profil/cles/", views_keys.key_page, name="keys"),
    path("profil/cles/<int:pk>/revoquer/", views_keys.revoke, name="key-revoke"),
    path(
        "mot-de-passe/oubli/",
        auth_views.PasswordResetView.as_view(
            success_url=_reset_done,
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/reset_email.txt",
            subject_template_name="accounts/reset_subject.txt",
        ),
        name="password-reset",
    ),
    path(
        "mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password-reset-done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html", success_url=_reset_complete
        ),
        name="password-reset-confirm",
    ),
    path(
        "mot-de-passe/nouveau/fait/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
    path("groupes/", views_groups.directory, name="directory"),
    # before the group page: « nouveau » is never a group's slug
    path("groupes/nouveau/", views_founding.new_group, name="new"),
    path("groupes/<slug:slug>/", views_groups.group_page, name="group"),
    path("groupes/<slug:slug>/parametres/", views_founding.group_settings, name="settings"),
    path("groupes/<slug:slug>/archiver/", views_founding.archive, name="archive"),
    path("groupes/<slug:slug>/rejoindre/", views_groups.join, name="join"),
    path("groupes/<slug:slug>/accepter/", views_groups.accept, name="accept"),
    path("groupes/<slug:slug>/quitter/", views_groups.leave, name="leave"),
    path("groupes/<slug:slug>/inviter/", views_groups.invite, name="invite"),
    path("groupes/<slug:slug>/membres/<int:pk>/accepter/", views_groups.approve, name="approve"),
    path("groupes/<slug:slug>/membres/<int:pk>/refuser/", views_groups.refuse, name="refuse"),
    path("groupes/<slug:slug>/membres/<int:pk>/role/", views_groups.change_role, name="role"),
]
