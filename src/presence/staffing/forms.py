"""Forms for posts, post actions and recruitments (they parse input; services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from presence.core.forms import CodeInput, VersionedModelForm
from presence.staffing.models import Post, PostAction, Recruitment
from presence.staffing.services import ACTION_FIELDS, POST_FIELDS, RECRUITMENT_FIELDS

DATE = forms.DateInput(attrs={"type": "date"})


class PostForm(VersionedModelForm):
    """New posts take every field; an existing post changes grade and office only through actions."""

    created_on = forms.DateField(
        label=_("Created on"),
        required=False,
        widget=DATE,
        help_text=_("If given, a creation action with this date is recorded."),
    )

    class Meta:
        model = Post
        fields = list(POST_FIELDS)
        widgets = {"start_date": DATE, "end_date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, show_personal: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not show_personal:
            del self.fields["incumbent"]
        if self.instance.pk:
            for name in ("office", "category", "grade", "created_on"):
                del self.fields[name]


class PostActionForm(VersionedModelForm):
    class Meta:
        model = PostAction
        fields = list(ACTION_FIELDS)
        widgets = {"effective_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "from_grade": _("Left empty, the post's current grade."),
            "from_office": _("Left empty, the post's current office."),
        }


class RecruitmentForm(VersionedModelForm):
    class Meta:
        model = Recruitment
        fields = list(RECRUITMENT_FIELDS)
        widgets = {
            "opened_on": DATE,
            "closed_on": DATE,
            "selected_on": DATE,
            "on_board_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, posts: Any = None, show_personal: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if posts is not None and "post" in self.fields:
            # The post is typed by its number: an organization's posts are too many to offer as a list.
            # Only `posts` (those within the user's reach that may recruit) are found.
            self.fields["post"] = forms.ModelChoiceField(
                queryset=posts,
                to_field_name="number",
                label=self.fields["post"].label,
                widget=CodeInput(),
                help_text=_("The post's number, as shown on its page."),
                error_messages={
                    "invalid_choice": _(
                        "No post numbered %(value)s that you may recruit for: check the number on the "
                        "post's page (an abolished post takes no recruitment)."
                    )
                },
            )
        if not show_personal:
            del self.fields["selected_candidate"]
        if self.instance.pk:
            del self.fields["post"]
