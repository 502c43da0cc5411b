"""Messages are never edited: a trigger refuses any UPDATE of a message row, for every
database user. Deleting stays possible (a client record deleted with its conversation)."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION messaging_message_unchangeable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Messages are never edited: % is not allowed.', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER messaging_message_no_update BEFORE UPDATE ON messaging_message
    FOR EACH ROW EXECUTE FUNCTION messaging_message_unchangeable();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS messaging_message_no_update ON messaging_message;
DROP FUNCTION IF EXISTS messaging_message_unchangeable();
"""


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
