-- indicator: disposition_days
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  `t2`.`value`,
  `t2`.`m0`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`registered_on` + CAST(CONCAT(`t1`.`total_days`, ' days') AS INTERVAL)) * 12
      ) + EXTRACT(month FROM `t1`.`registered_on` + CAST(CONCAT(`t1`.`total_days`, ' days') AS INTERVAL))
    ) - 1 AS INT) AS `month`,
    `t1`.`total_days` AS `value`,
    CAST(SUM(CAST(COALESCE(`t1`.`total_days` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m0`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      (
        `t0`.`registered_on` + CAST(CONCAT(`t0`.`total_days`, ' days') AS INTERVAL)
      ) IS NOT NULL
      AND `t0`.`total_days` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8
) AS `t2`;

-- indicator: criminal_detention_rate
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`registered_on`) * 12
      ) + EXTRACT(month FROM `t1`.`registered_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE((
        `t1`.`defendant_id` IS NOT NULL
      ) AND `t1`.`detained`, FALSE) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`defendant_id` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`registered_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: pretrial_detention_rate
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`prosecution_decided_on`) * 12
      ) + EXTRACT(month FROM `t1`.`prosecution_decided_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`prosecuted` IS NOT NULL
        ) AND (
          `t1`.`pretrial_measure` = 'arrest'
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`prosecuted` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`prosecution_decided_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: non_arrest_rate
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`arrest_decided_on`) * 12
      ) + EXTRACT(month FROM `t1`.`arrest_decided_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        `t1`.`arrest_requested`
        AND (
          `t1`.`arrest_approved` IS NOT NULL
        )
        AND NOT (
          `t1`.`arrest_approved`
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(
      CAST(COALESCE(`t1`.`arrest_requested` AND (
        `t1`.`arrest_approved` IS NOT NULL
      ), FALSE) AS BIGINT)
    ) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`arrest_decided_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: non_arrest_rate.no_crime
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`arrest_decided_on`) * 12
      ) + EXTRACT(month FROM `t1`.`arrest_decided_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        `t1`.`arrest_requested`
        AND (
          `t1`.`arrest_approved` IS NOT NULL
        )
        AND (
          NOT (
            `t1`.`arrest_approved`
          ) AND (
            `t1`.`non_arrest_ground` = 'no_crime'
          )
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(
      CAST(COALESCE(`t1`.`arrest_requested` AND (
        `t1`.`arrest_approved` IS NOT NULL
      ), FALSE) AS BIGINT)
    ) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`arrest_decided_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: non_arrest_rate.insufficient_evidence
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`arrest_decided_on`) * 12
      ) + EXTRACT(month FROM `t1`.`arrest_decided_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        `t1`.`arrest_requested`
        AND (
          `t1`.`arrest_approved` IS NOT NULL
        )
        AND (
          NOT (
            `t1`.`arrest_approved`
          )
          AND (
            `t1`.`non_arrest_ground` = 'insufficient_evidence'
          )
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(
      CAST(COALESCE(`t1`.`arrest_requested` AND (
        `t1`.`arrest_approved` IS NOT NULL
      ), FALSE) AS BIGINT)
    ) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`arrest_decided_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: non_arrest_rate.no_necessity
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`arrest_decided_on`) * 12
      ) + EXTRACT(month FROM `t1`.`arrest_decided_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        `t1`.`arrest_requested`
        AND (
          `t1`.`arrest_approved` IS NOT NULL
        )
        AND (
          NOT (
            `t1`.`arrest_approved`
          )
          AND (
            `t1`.`non_arrest_ground` = 'no_necessity'
          )
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(
      CAST(COALESCE(`t1`.`arrest_requested` AND (
        `t1`.`arrest_approved` IS NOT NULL
      ), FALSE) AS BIGINT)
    ) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`arrest_decided_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: non_arrest_rate.minor_with_plea
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`arrest_decided_on`) * 12
      ) + EXTRACT(month FROM `t1`.`arrest_decided_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        `t1`.`arrest_requested`
        AND (
          `t1`.`arrest_approved` IS NOT NULL
        )
        AND (
          NOT (
            `t1`.`arrest_approved`
          )
          AND (
            `t1`.`non_arrest_ground` = 'minor_with_plea'
          )
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(
      CAST(COALESCE(`t1`.`arrest_requested` AND (
        `t1`.`arrest_approved` IS NOT NULL
      ), FALSE) AS BIGINT)
    ) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`arrest_decided_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: non_arrest_rate.plea
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`arrest_decided_on`) * 12
      ) + EXTRACT(month FROM `t1`.`arrest_decided_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        `t1`.`arrest_requested`
        AND (
          `t1`.`arrest_approved` IS NOT NULL
        )
        AND (
          `t1`.`plea_stage` = 'investigation'
        )
        AND NOT (
          `t1`.`arrest_approved`
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(
      CAST(COALESCE(
        `t1`.`arrest_requested`
        AND (
          `t1`.`arrest_approved` IS NOT NULL
        )
        AND (
          `t1`.`plea_stage` = 'investigation'
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`arrest_decided_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: non_prosecution_rate
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`prosecution_decided_on`) * 12
      ) + EXTRACT(month FROM `t1`.`prosecution_decided_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE((
        `t1`.`prosecuted` IS NOT NULL
      ) AND (
        `t1`.`prosecuted` = FALSE
      ), FALSE) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`prosecuted` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`prosecution_decided_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: non_prosecution_rate.no_crime
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`prosecution_decided_on`) * 12
      ) + EXTRACT(month FROM `t1`.`prosecution_decided_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`prosecuted` IS NOT NULL
        )
        AND (
          (
            `t1`.`prosecuted` = FALSE
          )
          AND (
            `t1`.`non_prosecution_ground` = 'no_crime'
          )
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`prosecuted` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`prosecution_decided_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: non_prosecution_rate.insufficient_evidence
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`prosecution_decided_on`) * 12
      ) + EXTRACT(month FROM `t1`.`prosecution_decided_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`prosecuted` IS NOT NULL
        )
        AND (
          (
            `t1`.`prosecuted` = FALSE
          )
          AND (
            `t1`.`non_prosecution_ground` = 'insufficient_evidence'
          )
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`prosecuted` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`prosecution_decided_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: non_prosecution_rate.minor
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`prosecution_decided_on`) * 12
      ) + EXTRACT(month FROM `t1`.`prosecution_decided_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`prosecuted` IS NOT NULL
        )
        AND (
          (
            `t1`.`prosecuted` = FALSE
          ) AND (
            `t1`.`non_prosecution_ground` = 'minor'
          )
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`prosecuted` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`prosecution_decided_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: plea_rate
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`prosecution_decided_on`) * 12
      ) + EXTRACT(month FROM `t1`.`prosecution_decided_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE((
        `t1`.`prosecuted` IS NOT NULL
      ) AND `t1`.`plea`, FALSE) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`prosecuted` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`prosecution_decided_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: plea_rate.investigation
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`prosecution_decided_on`) * 12
      ) + EXTRACT(month FROM `t1`.`prosecution_decided_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`prosecuted` IS NOT NULL
        )
        AND (
          `t1`.`plea` AND (
            `t1`.`plea_stage` = 'investigation'
          )
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`prosecuted` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`prosecution_decided_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: plea_rate.prosecution
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`prosecution_decided_on`) * 12
      ) + EXTRACT(month FROM `t1`.`prosecution_decided_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`prosecuted` IS NOT NULL
        )
        AND (
          `t1`.`plea` AND (
            `t1`.`plea_stage` = 'prosecution'
          )
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`prosecuted` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`prosecution_decided_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: plea_rate.trial
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`prosecution_decided_on`) * 12
      ) + EXTRACT(month FROM `t1`.`prosecution_decided_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`prosecuted` IS NOT NULL
        )
        AND (
          `t1`.`plea` AND (
            `t1`.`plea_stage` = 'trial'
          )
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`prosecuted` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`prosecution_decided_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: definite_recommendation_share
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`prosecution_decided_on`) * 12
      ) + EXTRACT(month FROM `t1`.`prosecution_decided_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`prosecuted` IS NOT NULL
        )
        AND (
          `t1`.`recommendation_type` IS NOT NULL
        )
        AND (
          `t1`.`recommendation_type` = 'definite'
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`prosecuted` IS NOT NULL
        )
        AND (
          `t1`.`recommendation_type` IS NOT NULL
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`prosecution_decided_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: recommendation_adoption_rate
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`judgment_on`) * 12
      ) + EXTRACT(month FROM `t1`.`judgment_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`verdict` IS NOT NULL
        )
        AND (
          `t1`.`court_decision` IS NOT NULL
        )
        AND (
          `t1`.`court_decision` = 'adopted'
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`verdict` IS NOT NULL
        ) AND (
          `t1`.`court_decision` IS NOT NULL
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`judgment_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: acquittal_rate
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`judgment_on`) * 12
      ) + EXTRACT(month FROM `t1`.`judgment_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE((
        `t1`.`verdict` IS NOT NULL
      ) AND (
        `t1`.`verdict` = 'acquitted'
      ), FALSE) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`verdict` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`judgment_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: appeal_rate
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`judgment_on`) * 12
      ) + EXTRACT(month FROM `t1`.`judgment_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE((
        `t1`.`verdict` IS NOT NULL
      ) AND `t1`.`appealed`, FALSE) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`verdict` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`judgment_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: appeal_rate.plea
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`judgment_on`) * 12
      ) + EXTRACT(month FROM `t1`.`judgment_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE((
        `t1`.`verdict` IS NOT NULL
      ) AND `t1`.`plea` AND `t1`.`appealed`, FALSE) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(
      CAST(COALESCE((
        `t1`.`verdict` IS NOT NULL
      ) AND `t1`.`plea`, FALSE) AS BIGINT)
    ) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`judgment_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: appeal_rate.other
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`judgment_on`) * 12
      ) + EXTRACT(month FROM `t1`.`judgment_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`verdict` IS NOT NULL
        ) AND NOT (
          `t1`.`plea`
        ) AND `t1`.`appealed`,
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(
      CAST(COALESCE((
        `t1`.`verdict` IS NOT NULL
      ) AND NOT (
        `t1`.`plea`
      ), FALSE) AS BIGINT)
    ) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`judgment_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: probation_rate
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`judgment_on`) * 12
      ) + EXTRACT(month FROM `t1`.`judgment_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE((
        `t1`.`verdict` = 'convicted'
      ) AND `t1`.`probation`, FALSE) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`verdict` = 'convicted', FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`judgment_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: probation_rate.plea
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`judgment_on`) * 12
      ) + EXTRACT(month FROM `t1`.`judgment_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE((
        `t1`.`verdict` = 'convicted'
      ) AND `t1`.`plea` AND `t1`.`probation`, FALSE) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(
      CAST(COALESCE((
        `t1`.`verdict` = 'convicted'
      ) AND `t1`.`plea`, FALSE) AS BIGINT)
    ) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`judgment_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: probation_rate.other
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`judgment_on`) * 12
      ) + EXTRACT(month FROM `t1`.`judgment_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`verdict` = 'convicted'
        ) AND NOT (
          `t1`.`plea`
        ) AND `t1`.`probation`,
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(
      CAST(COALESCE((
        `t1`.`verdict` = 'convicted'
      ) AND NOT (
        `t1`.`plea`
      ), FALSE) AS BIGINT)
    ) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`judgment_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: fast_track_share
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`judgment_on`) * 12
      ) + EXTRACT(month FROM `t1`.`judgment_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE((
        `t1`.`verdict` IS NOT NULL
      ) AND (
        `t1`.`procedure` = 'fast_track'
      ), FALSE) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`verdict` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`judgment_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: fast_track_within_limit
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`judgment_on`) * 12
      ) + EXTRACT(month FROM `t1`.`judgment_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`verdict` IS NOT NULL
        )
        AND (
          `t1`.`procedure` = 'fast_track'
        )
        AND (
          `t1`.`trial_days` <= 10
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(
      CAST(COALESCE((
        `t1`.`verdict` IS NOT NULL
      ) AND (
        `t1`.`procedure` = 'fast_track'
      ), FALSE) AS BIGINT)
    ) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`judgment_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: evidence_exclusion_rate
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`prosecution_decided_on`) * 12
      ) + EXTRACT(month FROM `t1`.`prosecution_decided_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`prosecuted` IS NOT NULL
        )
        AND (
          `t1`.`evidence_excluded` IS NOT NULL
        )
        AND (
          `t1`.`evidence_excluded` > 0
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`prosecuted` IS NOT NULL
        )
        AND (
          `t1`.`evidence_excluded` IS NOT NULL
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`prosecution_decided_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: corrected_conviction_rate
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`retrial_on`) * 12
      ) + EXTRACT(month FROM `t1`.`retrial_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`retrial_outcome` IS NOT NULL
        )
        AND `t1`.`retrial_outcome` IN ('amended', 'acquitted'),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`retrial_outcome` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`retrial_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: review_grade.excellent
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`reviewed_on`) * 12
      ) + EXTRACT(month FROM `t1`.`reviewed_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`review_grade` IS NOT NULL
        ) AND (
          `t1`.`review_grade` = 'excellent'
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`review_grade` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`reviewed_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: review_grade.qualified
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`reviewed_on`) * 12
      ) + EXTRACT(month FROM `t1`.`reviewed_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`review_grade` IS NOT NULL
        ) AND (
          `t1`.`review_grade` = 'qualified'
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`review_grade` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`reviewed_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: review_grade.flawed
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`reviewed_on`) * 12
      ) + EXTRACT(month FROM `t1`.`reviewed_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`review_grade` IS NOT NULL
        ) AND (
          `t1`.`review_grade` = 'flawed'
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`review_grade` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`reviewed_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: review_grade.unqualified
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`reviewed_on`) * 12
      ) + EXTRACT(month FROM `t1`.`reviewed_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`review_grade` IS NOT NULL
        )
        AND (
          `t1`.`review_grade` = 'unqualified'
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`review_grade` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`reviewed_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: check.near_limit_closure
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  `t2`.`value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`registered_on` + CAST(CONCAT(`t1`.`total_days`, ' days') AS INTERVAL)) * 12
      ) + EXTRACT(month FROM `t1`.`registered_on` + CAST(CONCAT(`t1`.`total_days`, ' days') AS INTERVAL))
    ) - 1 AS INT) AS `month`,
    `t1`.`total_days` AS `value`,
    CAST(SUM(
      CAST(COALESCE((
        `t1`.`total_days` IS NOT NULL
      ) AND (
        `t1`.`near_limit_count` >= 1
      ), FALSE) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`total_days` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      (
        `t0`.`registered_on` + CAST(CONCAT(`t0`.`total_days`, ' days') AS INTERVAL)
      ) IS NOT NULL
      AND `t0`.`total_days` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8
) AS `t2`;

-- indicator: check.overdue_stage
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  `t2`.`value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`registered_on` + CAST(CONCAT(`t1`.`total_days`, ' days') AS INTERVAL)) * 12
      ) + EXTRACT(month FROM `t1`.`registered_on` + CAST(CONCAT(`t1`.`total_days`, ' days') AS INTERVAL))
    ) - 1 AS INT) AS `month`,
    `t1`.`total_days` AS `value`,
    CAST(SUM(
      CAST(COALESCE((
        `t1`.`total_days` IS NOT NULL
      ) AND (
        `t1`.`overdue_count` > 0
      ), FALSE) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`total_days` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      (
        `t0`.`registered_on` + CAST(CONCAT(`t0`.`total_days`, ' days') AS INTERVAL)
      ) IS NOT NULL
      AND `t0`.`total_days` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8
) AS `t2`;

-- indicator: check.confession_only_conviction
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`judgment_on`) * 12
      ) + EXTRACT(month FROM `t1`.`judgment_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`verdict` = 'convicted'
        )
        AND (
          `t1`.`evidence_basis` = 'confession_only'
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`verdict` = 'convicted', FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`judgment_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: check.long_custody_release
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  `t2`.`value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`registered_on` + CAST(CONCAT(`t1`.`total_days`, ' days') AS INTERVAL)) * 12
      ) + EXTRACT(month FROM `t1`.`registered_on` + CAST(CONCAT(`t1`.`total_days`, ' days') AS INTERVAL))
    ) - 1 AS INT) AS `month`,
    `t1`.`total_days` AS `value`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`total_days` IS NOT NULL
        )
        AND (
          (
            `t1`.`verdict` = 'acquitted'
          ) OR (
            `t1`.`prosecuted` = FALSE
          )
        )
        AND (
          `t1`.`custody_days` > 60
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`total_days` IS NOT NULL
        )
        AND (
          (
            `t1`.`verdict` = 'acquitted'
          ) OR (
            `t1`.`prosecuted` = FALSE
          )
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      (
        `t0`.`registered_on` + CAST(CONCAT(`t0`.`total_days`, ' days') AS INTERVAL)
      ) IS NOT NULL
      AND `t0`.`total_days` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8
) AS `t2`;

-- indicator: check.two_supplementary_rounds
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`prosecution_decided_on`) * 12
      ) + EXTRACT(month FROM `t1`.`prosecution_decided_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`prosecuted` IS NOT NULL
        ) AND (
          `t1`.`supplementary_rounds` >= 2
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`prosecuted` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`prosecution_decided_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: check.registration_lag
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`registered_on`) * 12
      ) + EXTRACT(month FROM `t1`.`registered_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`defendant_id` IS NOT NULL
        )
        AND (
          DATEDIFF(DAY, `t1`.`reported_on`, `t1`.`registered_on`) > 7
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`defendant_id` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`registered_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;

-- indicator: check.suspect_known_at_registration
SELECT
  0 AS `part`,
  CAST(NULL AS STRING) AS `province`,
  CAST(NULL AS STRING) AS `prefecture`,
  `t2`.`county`,
  `t2`.`police`,
  `t2`.`procuratorate`,
  `t2`.`court`,
  `t2`.`crime_group`,
  `t2`.`procedure`,
  `t2`.`month`,
  CAST(NULL AS INT) AS `value`,
  `t2`.`m0`,
  `t2`.`m1`
FROM (
  SELECT
    `t1`.`county_code` AS `county`,
    `t1`.`police_agency_id` AS `police`,
    `t1`.`procuratorate_id` AS `procuratorate`,
    `t1`.`court_id` AS `court`,
    `t1`.`crime_group`,
    `t1`.`procedure`,
    CAST((
      (
        EXTRACT(year FROM `t1`.`registered_on`) * 12
      ) + EXTRACT(month FROM `t1`.`registered_on`)
    ) - 1 AS INT) AS `month`,
    CAST(SUM(
      CAST(COALESCE(
        (
          `t1`.`defendant_id` IS NOT NULL
        )
        AND (
          `t1`.`suspect_identified_on` <= `t1`.`registered_on`
        ),
        FALSE
      ) AS BIGINT)
    ) AS INT) AS `m0`,
    CAST(SUM(CAST(COALESCE(`t1`.`defendant_id` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`
  FROM (
    SELECT
      *
    FROM `defendants` AS `t0`
    WHERE
      `t0`.`registered_on` IS NOT NULL
  ) AS `t1`
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
) AS `t2`;
