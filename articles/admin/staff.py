"""Staff accounts in the admin: one page makes an account with its group (編集者 or 公開担当),
and names read 姓・名 (family name first) wherever users are listed or edited."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from articles.workflow import EDITOR_GROUP, PUBLISHER_GROUP

User = get_user_model()


class StaffCreationForm(AdminUserCreationForm):
    """Username, 姓, 名, e-mail, password and the group: a working staff account in one step."""

    last_name = forms.CharField(label=_("姓"), max_length=150, required=False)
    first_name = forms.CharField(label=_("名"), max_length=150, required=False)
    email = forms.EmailField(label=_("メールアドレス"), required=False)
    group = forms.ModelChoiceField(
        label=_("グループ"),
        queryset=Group.objects.filter(name__in=[EDITOR_GROUP, PUBLISHER_GROUP]).order_by("name"),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_("編集者: 記事を作り、下書きを直せます。公開担当: それに加えて公開・公開予約・取り下げができます。"),
    )

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "last_name", "first_name", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("usable_password", None)  # a staff account signs in with its password
        self.fields["group"].initial = self.fields["group"].queryset.filter(name=EDITOR_GROUP).first()

    def save(self, commit=True):
        user = super().save(commit=False)
        user.is_staff = True
        if commit:
            user.save()
            self.save_m2m()
            user.groups.add(self.cleaned_data["group"])
        return user


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    add_form = StaffCreationForm
    add_form_template = "admin/auth/user/add_form.html"
    add_fieldsets = (
        (None, {"fields": ("username", ("last_name", "first_name"), "email")}),
        (_("パスワード"), {"fields": ("password1", "password2")}),
        (_("グループ"), {"fields": ("group",)}),
    )
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("氏名と連絡先"), {"fields": (("last_name", "first_name"), "email")}),
        (
            _("権限"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("記録"), {"fields": ("last_login", "date_joined")}),
    )
    list_display = ("username", "last_name", "first_name", "email", "is_staff", "group_names")
    ordering = ("last_name", "first_name", "username")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("グループ"))
    def group_names(self, obj):
        return "、".join(group.name for group in obj.groups.all())

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change and "group" in form.cleaned_data:
            form.instance.groups.add(form.cleaned_data["group"])  # the admin saves m2m itself
