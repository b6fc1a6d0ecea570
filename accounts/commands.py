"""The base of every management command of the product: the command acts as itself, by its name."""

from django.core.management.base import BaseCommand

from .actors import Actor, acting


class ActorCommand(BaseCommand):
    def execute(self, *args, **options):
        with acting(Actor.command(self.__module__.rpartition(".")[2])):
            return super().execute(*args, **options)
