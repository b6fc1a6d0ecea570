"""The customer workspace: a contact's page in the back-office, built over every app's records.

It sits in insights because it reads every app (communications, correspondence, postal, activities, accounts),
and only the top app may import them all.
"""
