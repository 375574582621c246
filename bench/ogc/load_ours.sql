-- Rows of the harness's observatoire_feature (COPY text on stdin) into observatoire_resource,
-- same ids, all in the observatoire base (the harness asks for ids 1..N in one collection);
-- see bench/ogc/run.sh.
CREATE TEMP TABLE f (
    id bigint, uuid uuid, type varchar(32), group_id integer, visibility varchar(16),
    title varchar(255), description text, properties jsonb, created timestamptz,
    updated timestamptz, geom geometry(Point, 4326)
);
\copy f FROM pstdin
INSERT INTO observatoire_resource (id, base, kind, title, summary, description, themes,
    date_start, geom, attributes, group_id, author_id, level, validated_at, source, source_id,
    created_at, updated_at)
SELECT f.id, k.base, k.kind, f.title, '', f.description, '{}', f.created::date, f.geom,
       f.properties, f.group_id, (SELECT id FROM workgroups_user WHERE username = 'bench'),
       CASE f.visibility WHEN 'public' THEN 'public' WHEN 'members' THEN 'groupe'
            ELSE 'utilisateur' END,
       CASE WHEN f.visibility = 'public' THEN f.created END, '', '', f.created, f.updated
FROM f JOIN (VALUES ('marqueur', 'observatoire', 'marqueur'),
                    ('projet', 'observatoire', 'projet'),
                    ('realisation', 'observatoire', 'realisation'),
                    ('action', 'observatoire', 'action'),
                    ('activite', 'observatoire', 'action'),
                    ('media', 'observatoire', 'marqueur'),
                    ('evenement', 'observatoire', 'action'),
                    ('acteur', 'observatoire', 'projet')) AS k(type, base, kind)
     ON k.type = f.type;
SELECT setval(pg_get_serial_sequence('observatoire_resource', 'id'), (SELECT max(id) FROM observatoire_resource));
ANALYZE observatoire_resource;
