from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.admin.live import LiveContentAdminMixin
from participants.forms import PostListField
from participants.models import Organisation, Participant, Person, Role


@admin.register(Person)
class PersonAdmin(LiveContentAdminMixin, admin.ModelAdmin):
    list_display = ["name", "reading", "appearance_count"]
    search_fields = ["name", "reading"]
    ordering = ["reading", "name"]
    fields = ["name", "reading", "slug", "photo", "photo_alt", "profile"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_appearances=Count("appearances"))

    @admin.display(description=_("登場回数"), ordering="_appearances")
    def appearance_count(self, obj):
        return obj._appearances


@admin.register(Organisation)
class OrganisationAdmin(LiveContentAdminMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "reading", "local_government_code"]
    search_fields = ["name", "short_name", "reading", "local_government_code"]


@admin.register(Role)
class RoleAdmin(LiveContentAdminMixin, admin.ModelAdmin):
    list_display = ["abbreviation", "full_name", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["abbreviation", "full_name"]


class ParticipantForm(forms.ModelForm):
    posts = PostListField(label=_("役職"))

    class Meta:
        model = Participant
        fields = [
            "order",
            "person",
            "organisation",
            "organisation_label",
            "posts",
            "roles",
            "label",
            "label_title",
        ]
        widgets = {"roles": forms.CheckboxSelectMultiple}


class ParticipantInline(admin.StackedInline):
    """Participants edited on their roundtable's page, in display order (an editor's change of a
    live roundtable's participants goes into the roundtable's 変更の依頼: LiveContentAdminMixin)."""

    model = Participant
    form = ParticipantForm
    extra = 0
    autocomplete_fields = ["person", "organisation"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("order", "person", "label"),
                    ("organisation", "organisation_label"),
                    "posts",
                    "roles",
                    "label_title",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "organisation").prefetch_related("roles")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "roles":
            # Evaluate the role list once per request, not once per participant form.
            cache = getattr(request, "_role_choices", None)
            if cache is None:
                cache = request._role_choices = list(Role.objects.all())
            kwargs["queryset"] = Role.objects.all()
            field = super().formfield_for_manytomany(db_field, request, **kwargs)
            field.choices = [(role.pk, str(role)) for role in cache]
            return field
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Participant)
class ParticipantAdmin(LiveContentAdminMixin, admin.ModelAdmin):
    form = ParticipantForm
    # The roundtable is chosen here (on a roundtable's page it is implied).
    fields = ["roundtable", *ParticipantForm.Meta.fields]
    list_display = ["person", "title_display", "label", "roundtable"]
    list_filter = ["roundtable__forum", "organisation"]
    search_fields = ["person__name", "person__reading", "label", "roundtable__title"]
    autocomplete_fields = ["roundtable", "person", "organisation"]
    list_select_related = ["person", "organisation", "roundtable"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("roles")

    @admin.display(description=_("肩書き"))
    def title_display(self, obj):
        return obj.full_title
