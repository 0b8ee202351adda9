"""Template helpers of the documents panel, so any page can include it with just `req`."""

from django import template

from vault.forms_documents import DocumentUploadForm

register = template.Library()


@register.simple_tag(takes_context=True)
def document_upload_form(context, req):
    """The bound form the upload view left in the context for this request, else a new one."""
    form = context.get("document_form")
    if form is not None and context.get("document_form_request_id") == req.pk:
        return form
    return DocumentUploadForm(prefix_id=f"doc{req.pk}")
