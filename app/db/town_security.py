"""Who sees which rows on a county's shared PostgreSQL server: the two group roles, row-level security per
town, and the audit's actor set by the server. Run by revision 0011 (PostgreSQL only: a town's SQLite file
is one town, and one clerk at one PC).

- canlian_county (县残联 staff): sees and changes every town.
- canlian_town (a 乡镇 clerk): sees and changes only the rows of their own town, which is their row in the
  `clerk` table (login name → town). A village carries its town; households and persons reach it through
  their village; every record reaches it through its person or household. The policies are the database's
  own, so a clerk who connects with psql instead of the program is held to the same rows.
- Nobody deletes (nothing is hard-deleted): neither group has the DELETE privilege. The policies are written
  FOR ALL all the same, so that a DELETE granted by mistake would still reach only the clerk's own town.
- Shared tables every clerk reads: setting, policy_version, device_type, visit_campaign, alembic_version.
  A town clerk may add settings (an import remembers the rows it was told to skip) but not change them
  (单位信息 and the identity are the county's); may create and change visit campaigns (a town runs its own
  festival visits; their lines are its own households'); may bump a device type's stock_version (issuing
  an aid does, so that two issues of the last item queue), nothing else of the catalogue or the policies.
- The audit: a trigger sets actor to the server's current_user for every login in the clerk table, whatever
  the program claims, and keeps the row's town (the clerk's, or for county staff the person's or
  household's), so that a town clerk reads the history of their own town's records. audit_log is insert-only
  for both groups. The server's administrator (the tables' owner, or a superuser) is not a clerk: PostgreSQL
  cannot bind its owner anyway, and their rows stay as the program writes them (name and town), so that
  move-to copies a town file's audit exactly.

The owner is made a member of canlian_county, so FORCE ROW LEVEL SECURITY (the owner under the same
policies) hides nothing from the administrator. A later revision that adds a table must say here which
kind it is: tests/db/test_town_security.py fails on a table this module does not name."""

from __future__ import annotations

COUNTY = "canlian_county"
TOWN = "canlian_town"

SHARED = ("setting", "policy_version", "device_type", "visit_campaign", "alembic_version")

# every table holding a town's rows, and which of its rows a town clerk may see and write: USING, and when
# the new row needs more (a person must not be put into another town's household), WITH CHECK
_BY_PERSON = "person_id IN (SELECT id FROM person)"
_BY_HOUSEHOLD = "household_id IN (SELECT id FROM household)"
TOWN_ROWS: dict[str, tuple[str, str | None]] = {
    "village": ("town = (SELECT canlian_clerk_town())", None),
    "village_group": ("village_id IN (SELECT id FROM village)", None),
    "household": ("village_id IN (SELECT id FROM village)",
                  "village_id IN (SELECT id FROM village)"
                  " AND (head_person_id IS NULL OR head_person_id IN (SELECT id FROM person))"),
    "person": ("village_id IN (SELECT id FROM village)",
               "village_id IN (SELECT id FROM village) AND (household_id IS NULL OR " + _BY_HOUSEHOLD + ")"),
    "status_change": (_BY_PERSON, None),
    "subsidy_application": (_BY_PERSON, None),
    "application_step": ("application_id IN (SELECT id FROM subsidy_application)", None),
    "subsidy_payment": (_BY_PERSON, None),
    "overpayment": (_BY_PERSON, None),
    "overpayment_entry": ("overpayment_id IN (SELECT id FROM overpayment)", None),
    "device_receipt": (_BY_PERSON, None),
    # stock received or written off (no person) is the office's stock, shared; an issue is the person's
    "stock_movement": ("person_id IS NULL OR " + _BY_PERSON, None),
    "relief_entry": (_BY_PERSON + " OR (person_id IS NULL AND " + _BY_HOUSEHOLD + ")", None),
    "visit_line": (_BY_HOUSEHOLD, None),
}
# read and appended to only; each has its own policies below
APPEND_ONLY = ("audit_log",)
ADMINISTERED = ("clerk",)  # written by `canlian admin add-clerk`, run by the administrator
# the county's 县级汇总 (issue 17): every town's rows as their signed 上报包 brought them, read and written by
# county staff only; a town clerk has no right on them at all (they hold the other towns' persons)
COUNTY_ONLY = ("county_town", "county_package", "county_person", "county_household", "county_status_change",
               "county_payment", "county_record", "county_check")

_SEES_ALL = "(SELECT canlian_sees_all())"  # a scalar subquery: evaluated once per statement, not per row


def _roles() -> list[str]:
    made = []
    for role in (COUNTY, TOWN):
        made.append(f"""DO $$ BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role} NOLOGIN; END IF;
        END $$""")
    # the owner goes through the policies too (FORCE): as county staff
    made.append(f"""DO $$ BEGIN
        IF NOT pg_has_role(current_user, '{COUNTY}', 'MEMBER') THEN GRANT {COUNTY} TO CURRENT_USER; END IF;
    END $$""")
    return made


def _functions() -> list[str]:
    return [
        f"""CREATE FUNCTION canlian_sees_all() RETURNS boolean LANGUAGE sql STABLE
            AS $$ SELECT pg_has_role(current_user, '{COUNTY}', 'MEMBER') $$""",
        """CREATE FUNCTION canlian_clerk_town() RETURNS text LANGUAGE sql STABLE
            AS $$ SELECT town FROM clerk WHERE login = current_user $$""",
        # a new village of a town clerk is their town's, whatever the program sent
        """CREATE FUNCTION canlian_village_town() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE mine text := canlian_clerk_town();
        BEGIN
            IF mine IS NOT NULL AND NOT canlian_sees_all() THEN NEW.town := mine; END IF;
            RETURN NEW;
        END $$""",
        # 领取单编号 run through every town's receipts of the year: a town clerk sees only their own, and two
        # clerks issuing different types at once would both read the same highest number. As the owner
        # (SECURITY DEFINER: every town's), and under a lock held until the issuing transaction ends.
        """CREATE FUNCTION canlian_last_receipt_number(prefix text) RETURNS text LANGUAGE plpgsql
            SECURITY DEFINER SET search_path = public, pg_temp AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock(hashtext('canlian.device_receipt.number'));
            RETURN (SELECT max(number) FROM device_receipt WHERE number LIKE prefix || '%');
        END $$""",
        # not SECURITY DEFINER, which would make current_user the function's owner: a clerk reads their
        # own clerk row, and a town clerk's rows take the clerk's town, so nothing beyond their rows is read
        """CREATE FUNCTION canlian_audit_actor() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE signed_in clerk%ROWTYPE;
        BEGIN
            SELECT * INTO signed_in FROM clerk WHERE login = current_user;
            IF NOT FOUND THEN  -- the administrator: as the program wrote it (move-to copies a file's audit as is)
                RETURN NEW;
            END IF;
            NEW.actor := current_user;
            NEW.town := signed_in.town;  -- county staff (no town): the town of the record, below
            IF NEW.town IS NULL AND NEW.entity = 'person' THEN
                SELECT v.town INTO NEW.town FROM person p JOIN village v ON v.id = p.village_id
                WHERE p.id = NEW.entity_id;
            ELSIF NEW.town IS NULL AND NEW.entity = 'household' THEN
                SELECT v.town INTO NEW.town FROM household h JOIN village v ON v.id = h.village_id
                WHERE h.id = NEW.entity_id;
            ELSIF NEW.town IS NULL AND NEW.entity = 'village' THEN
                SELECT v.town INTO NEW.town FROM village v WHERE v.id = NEW.entity_id;
            END IF;
            RETURN NEW;
        END $$""",
    ]


def _policy(table: str, using: str, check: str | None) -> list[str]:
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY canlian_town_rows ON {table} FOR ALL USING ({_SEES_ALL} OR {using}) "
        f"WITH CHECK ({_SEES_ALL} OR {check or using})",
    ]


def _grants() -> list[str]:
    both = f"{COUNTY}, {TOWN}"
    made = [
        f"GRANT USAGE ON SCHEMA public TO {both}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {both}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {both}",
        f"GRANT EXECUTE ON FUNCTION canlian_sees_all(), canlian_clerk_town(), canlian_last_receipt_number(text) "
        f"TO {both}",
        f"GRANT INSERT, UPDATE ON {', '.join(TOWN_ROWS)} TO {both}",
        f"GRANT INSERT, UPDATE ON {', '.join(t for t in SHARED if t != 'alembic_version')} TO {COUNTY}",
        f"GRANT INSERT ON setting TO {TOWN}",
        f"GRANT INSERT, UPDATE ON visit_campaign TO {TOWN}",
        f"GRANT UPDATE (stock_version) ON device_type TO {TOWN}",
        f"GRANT INSERT ON audit_log TO {both}",
        f"REVOKE ALL ON {', '.join(COUNTY_ONLY)} FROM {TOWN}",
        f"GRANT INSERT, UPDATE ON {', '.join(COUNTY_ONLY)} TO {COUNTY}",
    ]
    return made


def create_statements() -> list[str]:
    """Everything revision 0011 makes on PostgreSQL, after the town column and the clerk table exist."""
    made = _roles() + _functions()
    made.append("CREATE TRIGGER canlian_village_town BEFORE INSERT ON village "
                "FOR EACH ROW EXECUTE FUNCTION canlian_village_town()")
    made.append("CREATE TRIGGER canlian_audit_actor BEFORE INSERT ON audit_log "
                "FOR EACH ROW EXECUTE FUNCTION canlian_audit_actor()")
    for table, (using, check) in TOWN_ROWS.items():
        made += _policy(table, using, check)
    made += [
        "ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE audit_log FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY canlian_read ON audit_log FOR SELECT "
        f"USING ({_SEES_ALL} OR town = (SELECT canlian_clerk_town()))",
        "CREATE POLICY canlian_append ON audit_log FOR INSERT WITH CHECK (true)",
        "ALTER TABLE clerk ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE clerk FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY canlian_read ON clerk FOR SELECT USING ({_SEES_ALL} OR login = current_user)",
        f"CREATE POLICY canlian_county_writes ON clerk FOR ALL USING ({_SEES_ALL}) WITH CHECK ({_SEES_ALL})",
    ]
    return made + _grants()


def drop_statements() -> list[str]:
    made = []
    for table in (*TOWN_ROWS, "audit_log", "clerk"):
        made += [f"DROP POLICY IF EXISTS canlian_town_rows ON {table}",
                 f"DROP POLICY IF EXISTS canlian_read ON {table}",
                 f"DROP POLICY IF EXISTS canlian_append ON {table}",
                 f"DROP POLICY IF EXISTS canlian_county_writes ON {table}",
                 f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY",
                 f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY"]
    made += [
        "DROP TRIGGER IF EXISTS canlian_audit_actor ON audit_log",
        "DROP TRIGGER IF EXISTS canlian_village_town ON village",
        "DROP FUNCTION IF EXISTS canlian_audit_actor()", "DROP FUNCTION IF EXISTS canlian_village_town()",
        "DROP FUNCTION IF EXISTS canlian_clerk_town()", "DROP FUNCTION IF EXISTS canlian_last_receipt_number(text)",
        "DROP FUNCTION IF EXISTS canlian_sees_all()",
    ]
    for role in (COUNTY, TOWN):  # the roles are the server's, shared by its databases: only their grants go
        made.append(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}")
        made.append(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}")
    return made
