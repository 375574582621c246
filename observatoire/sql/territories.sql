-- Territories of a resource (communes, EPCI, départements, régions), derived from its geometry
-- over the indexed pieces of the communes (geo_communepart, ST_Subdivide'd at load): a point
-- gets the commune containing it, a line or polygon every commune it crosses (a polygon merely
-- touching a commune's border does not count). Without a geometry, the typed
-- attributes.commune_insee (a former commune counts as the one it belongs to now). A mission
-- of the Activité base that concerns a whole territory says so in attributes.territoire (a
-- commune, an EPCI or a département): its communes are then that territory's, place aside.
--
-- PL/pgSQL rather than SQL: a SQL function that cannot be inlined is planned again at each
-- call from a trigger (7 s per 5,000 inserted rows); PL/pgSQL keeps its plan for the session.
--
-- Idempotent; run by observatoire.migrations.0013_resource_territories (after a change here,
-- add a migration that runs it again).
DROP FUNCTION IF EXISTS spass_territories(geometry, text);
CREATE OR REPLACE FUNCTION spass_territories(
    g geometry, typed text, scope text,
    OUT communes text[], OUT epcis text[], OUT departements text[], OUT regions text[])
  LANGUAGE plpgsql STABLE PARALLEL SAFE AS $f$
BEGIN
  SELECT coalesce(array_agg(DISTINCT t.insee ORDER BY t.insee), '{}'),
         coalesce(array_agg(DISTINCT t.epci ORDER BY t.epci) FILTER (WHERE t.epci <> ''), '{}'),
         coalesce(array_agg(DISTINCT t.departement ORDER BY t.departement), '{}'),
         coalesce(array_agg(DISTINCT t.region ORDER BY t.region)
                  FILTER (WHERE t.region <> ''), '{}')
    INTO communes, epcis, departements, regions
    FROM (
      SELECT c.insee, c.epci, c.departement, c.region
        FROM geo_commune c
       WHERE c.type = 'COM' AND coalesce(scope, '') <> ''
         AND (c.insee = scope OR c.epci = scope OR c.departement = scope)
      UNION ALL
      SELECT p.insee, p.epci, p.departement, p.region
        FROM geo_communepart p
       WHERE coalesce(scope, '') = '' AND ST_Intersects(p.geom, g)
         AND (ST_Dimension(g) < 2 OR NOT ST_Touches(p.geom, g))
      UNION ALL
      (SELECT coalesce(nullif(c.parent_insee, ''), c.insee), c.epci, c.departement, c.region
         FROM geo_commune c
        WHERE g IS NULL AND coalesce(scope, '') = '' AND c.insee = upper(btrim(typed))
        ORDER BY CASE c.type WHEN 'COM' THEN 0 WHEN 'ARM' THEN 1 WHEN 'COMD' THEN 2 ELSE 3 END
        LIMIT 1)
    ) t;
END
$f$;

-- Row trigger: one indexed statement per written row, only when the geometry (or the typed
-- commune) changed; otherwise the stored territories are kept, whatever the writer sent.
CREATE OR REPLACE FUNCTION resource_territories() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  -- observatoire.territories.rederive() writes the derived values itself, set-based
  IF current_setting('spass.territories_written', true) = 'on' THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.geom IS NOT DISTINCT FROM OLD.geom
     AND (NEW.attributes ->> 'commune_insee') IS NOT DISTINCT FROM
         (OLD.attributes ->> 'commune_insee')
     AND (NEW.attributes ->> 'territoire') IS NOT DISTINCT FROM
         (OLD.attributes ->> 'territoire') THEN
    NEW.communes := OLD.communes;
    NEW.epcis := OLD.epcis;
    NEW.departements := OLD.departements;
    NEW.regions := OLD.regions;
    RETURN NEW;
  END IF;
  SELECT t.communes, t.epcis, t.departements, t.regions
    INTO NEW.communes, NEW.epcis, NEW.departements, NEW.regions
    FROM spass_territories(NEW.geom, NEW.attributes ->> 'commune_insee',
                           NEW.attributes ->> 'territoire') t;
  RETURN NEW;
END $f$;
DROP TRIGGER IF EXISTS resource_territories ON observatoire_resource;
CREATE TRIGGER resource_territories BEFORE INSERT OR UPDATE ON observatoire_resource
  FOR EACH ROW EXECUTE FUNCTION resource_territories();
