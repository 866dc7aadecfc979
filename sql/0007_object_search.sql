-- Directory search: a region with a risk class is answered in credit-code order from one index, instead of
-- intersecting bitmaps of the region and of a whole risk class (half the directory is class A).
DROP INDEX objects_risk;
CREATE INDEX objects_region_risk ON objects (region_code, risk_class, credit_code);
