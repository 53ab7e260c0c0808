from django import forms
from django.utils.translation import gettext_lazy as _


class VerifyForm(forms.Form):
    file = forms.FileField(label=_("Report (PDF)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 50 * 1024 * 1024:
            raise forms.ValidationError(_("The file is too large to verify (50 MB at most)."))
        if not upload.read(5).startswith(b"%PDF-"):
            raise forms.ValidationError(_("This is not a PDF file."))
        upload.seek(0)
        return upload
