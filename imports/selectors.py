"""Reads of import batches: a batch is its uploader's alone (another user gets 404)."""

from __future__ import annotations

from django.db.models import QuerySet

from imports.models import ImportBatch


def batches_visible_to(user) -> QuerySet[ImportBatch]:
    """The user's own batches; nobody else previews or confirms an uploaded file."""
    if not (user.is_authenticated and user.is_active):
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(user=user, township_id=user.township_id)
