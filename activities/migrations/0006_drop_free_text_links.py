# The free-text links are gone once 0004 turned them into records. (A migration of its own: PostgreSQL alters no
# table that has row changes waiting for their deferred foreign-key checks in the same transaction.)

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0005_link_to_customer_records'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='activity',
            name='activity_reference_type_and_id_together',
        ),
        migrations.RemoveIndex(
            model_name='activity',
            name='activity_reference',
        ),
        migrations.AddIndex(
            model_name='activity',
            index=models.Index(condition=models.Q(('lead__isnull', False)), fields=['lead', 'is_test', 'created_on'], name='activity_lead'),
        ),
        migrations.AddIndex(
            model_name='activity',
            index=models.Index(condition=models.Q(('service_request__isnull', False)), fields=['service_request', 'is_test', 'created_on'], name='activity_service_request'),
        ),
        migrations.AddIndex(
            model_name='activity',
            index=models.Index(condition=models.Q(('order__isnull', False)), fields=['order', 'is_test', 'created_on'], name='activity_order'),
        ),
        migrations.AddConstraint(
            model_name='activity',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('lead__isnull', True), ('service_request__isnull', True)), models.Q(('lead__isnull', True), ('order__isnull', True)), models.Q(('order__isnull', True), ('service_request__isnull', True)), _connector='OR'), name='activity_linked_to_one_record_at_most', violation_error_message='An activity is for at most one lead, service request or order.'),
        ),
        migrations.RemoveField(
            model_name='activity',
            name='reference_id',
        ),
        migrations.RemoveField(
            model_name='activity',
            name='reference_label',
        ),
        migrations.RemoveField(
            model_name='activity',
            name='reference_type',
        ),
    ]
