"""A plain DRF create and retrieve (a ModelSerializer, generic views, nothing overridden), and the same create as a
bare Django view that parses the JSON itself and calls `Note.objects.create`."""

import json

from django.http import JsonResponse
from django.views.decorators.http import require_POST
from rest_framework import generics, serializers

from .models import Note


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Note
        fields = ["id", "subject", "body", "email", "priority", "created_on"]


class CreateNote(generics.CreateAPIView):
    queryset = Note.objects.all()
    serializer_class = NoteSerializer


class ShowNote(generics.RetrieveAPIView):
    queryset = Note.objects.all()
    serializer_class = NoteSerializer


@require_POST
def create_note_bare(request):
    fields = json.loads(request.body)
    note = Note.objects.create(
        subject=fields["subject"], body=fields["body"], email=fields["email"], priority=fields.get("priority", 0)
    )
    return JsonResponse({"id": note.pk, "created_on": note.created_on}, status=201)
