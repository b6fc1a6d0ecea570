from django.db import models


class Note(models.Model):
    """Five fields, as plain as a record gets: what the floor's create writes and its retrieve reads."""

    subject = models.CharField(max_length=200)
    body = models.TextField()
    email = models.EmailField()
    priority = models.PositiveSmallIntegerField(default=0)
    created_on = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.subject
