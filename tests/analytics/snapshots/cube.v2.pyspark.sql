SELECT
  *
FROM (
  SELECT
    *
  FROM (
    SELECT
      *
    FROM (
      SELECT
        0 AS `part`,
        CAST(NULL AS STRING) AS `province`,
        CAST(NULL AS STRING) AS `prefecture`,
        `t12`.`county`,
        `t12`.`police`,
        `t12`.`procuratorate`,
        `t12`.`court`,
        `t12`.`crime_group`,
        `t12`.`procedure`,
        `t12`.`month`,
        CAST(NULL AS INT) AS `value`,
        `t12`.`m0`,
        `t12`.`m1`,
        `t12`.`m2`,
        `t12`.`m3`,
        0 AS `m4`,
        0 AS `m5`,
        0 AS `m6`,
        0 AS `m7`,
        0 AS `m8`,
        0 AS `m9`,
        0 AS `m10`,
        0 AS `m11`,
        0 AS `m12`,
        0 AS `m13`,
        0 AS `m14`,
        0 AS `m15`,
        0 AS `m16`,
        0 AS `m17`,
        0 AS `m18`
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
          CAST(SUM(CAST(COALESCE(`t1`.`defendant_id` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`,
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
          ) AS INT) AS `m2`,
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
          ) AS INT) AS `m3`
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
      ) AS `t12`
    ) AS `t18`
    UNION ALL
    SELECT
      *
    FROM (
      SELECT
        1 AS `part`,
        CAST(NULL AS STRING) AS `province`,
        CAST(NULL AS STRING) AS `prefecture`,
        `t15`.`county`,
        `t15`.`police`,
        `t15`.`procuratorate`,
        `t15`.`court`,
        `t15`.`crime_group`,
        `t15`.`procedure`,
        `t15`.`month`,
        CAST(NULL AS INT) AS `value`,
        `t15`.`m0`,
        `t15`.`m1`,
        `t15`.`m2`,
        `t15`.`m3`,
        `t15`.`m4`,
        `t15`.`m5`,
        `t15`.`m6`,
        `t15`.`m7`,
        0 AS `m8`,
        0 AS `m9`,
        0 AS `m10`,
        0 AS `m11`,
        0 AS `m12`,
        0 AS `m13`,
        0 AS `m14`,
        0 AS `m15`,
        0 AS `m16`,
        0 AS `m17`,
        0 AS `m18`
      FROM (
        SELECT
          `t2`.`county_code` AS `county`,
          `t2`.`police_agency_id` AS `police`,
          `t2`.`procuratorate_id` AS `procuratorate`,
          `t2`.`court_id` AS `court`,
          `t2`.`crime_group`,
          `t2`.`procedure`,
          CAST((
            (
              EXTRACT(year FROM `t2`.`arrest_decided_on`) * 12
            ) + EXTRACT(month FROM `t2`.`arrest_decided_on`)
          ) - 1 AS INT) AS `month`,
          CAST(SUM(
            CAST(COALESCE(
              `t2`.`arrest_requested`
              AND (
                `t2`.`arrest_approved` IS NOT NULL
              )
              AND NOT (
                `t2`.`arrest_approved`
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m0`,
          CAST(SUM(
            CAST(COALESCE(`t2`.`arrest_requested` AND (
              `t2`.`arrest_approved` IS NOT NULL
            ), FALSE) AS BIGINT)
          ) AS INT) AS `m1`,
          CAST(SUM(
            CAST(COALESCE(
              `t2`.`arrest_requested`
              AND (
                `t2`.`arrest_approved` IS NOT NULL
              )
              AND (
                NOT (
                  `t2`.`arrest_approved`
                ) AND (
                  `t2`.`non_arrest_ground` = 'no_crime'
                )
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m2`,
          CAST(SUM(
            CAST(COALESCE(
              `t2`.`arrest_requested`
              AND (
                `t2`.`arrest_approved` IS NOT NULL
              )
              AND (
                NOT (
                  `t2`.`arrest_approved`
                )
                AND (
                  `t2`.`non_arrest_ground` = 'insufficient_evidence'
                )
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m3`,
          CAST(SUM(
            CAST(COALESCE(
              `t2`.`arrest_requested`
              AND (
                `t2`.`arrest_approved` IS NOT NULL
              )
              AND (
                NOT (
                  `t2`.`arrest_approved`
                )
                AND (
                  `t2`.`non_arrest_ground` = 'no_necessity'
                )
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m4`,
          CAST(SUM(
            CAST(COALESCE(
              `t2`.`arrest_requested`
              AND (
                `t2`.`arrest_approved` IS NOT NULL
              )
              AND (
                NOT (
                  `t2`.`arrest_approved`
                )
                AND (
                  `t2`.`non_arrest_ground` = 'minor_with_plea'
                )
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m5`,
          CAST(SUM(
            CAST(COALESCE(
              `t2`.`arrest_requested`
              AND (
                `t2`.`arrest_approved` IS NOT NULL
              )
              AND (
                `t2`.`plea_stage` = 'investigation'
              )
              AND NOT (
                `t2`.`arrest_approved`
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m6`,
          CAST(SUM(
            CAST(COALESCE(
              `t2`.`arrest_requested`
              AND (
                `t2`.`arrest_approved` IS NOT NULL
              )
              AND (
                `t2`.`plea_stage` = 'investigation'
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m7`
        FROM (
          SELECT
            *
          FROM `defendants` AS `t0`
          WHERE
            `t0`.`arrest_decided_on` IS NOT NULL
        ) AS `t2`
        GROUP BY
          1,
          2,
          3,
          4,
          5,
          6,
          7
      ) AS `t15`
    ) AS `t22`
  ) AS `t25`
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      *
    FROM (
      SELECT
        2 AS `part`,
        CAST(NULL AS STRING) AS `province`,
        CAST(NULL AS STRING) AS `prefecture`,
        `t13`.`county`,
        `t13`.`police`,
        `t13`.`procuratorate`,
        `t13`.`court`,
        `t13`.`crime_group`,
        `t13`.`procedure`,
        `t13`.`month`,
        CAST(NULL AS INT) AS `value`,
        `t13`.`m0`,
        `t13`.`m1`,
        `t13`.`m2`,
        `t13`.`m3`,
        `t13`.`m4`,
        `t13`.`m5`,
        `t13`.`m6`,
        `t13`.`m7`,
        `t13`.`m8`,
        `t13`.`m9`,
        `t13`.`m10`,
        `t13`.`m11`,
        `t13`.`m12`,
        `t13`.`m13`,
        `t13`.`m14`,
        0 AS `m15`,
        0 AS `m16`,
        0 AS `m17`,
        0 AS `m18`
      FROM (
        SELECT
          `t3`.`county_code` AS `county`,
          `t3`.`police_agency_id` AS `police`,
          `t3`.`procuratorate_id` AS `procuratorate`,
          `t3`.`court_id` AS `court`,
          `t3`.`crime_group`,
          `t3`.`procedure`,
          CAST((
            (
              EXTRACT(year FROM `t3`.`prosecution_decided_on`) * 12
            ) + EXTRACT(month FROM `t3`.`prosecution_decided_on`)
          ) - 1 AS INT) AS `month`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t3`.`prosecuted` IS NOT NULL
              ) AND (
                `t3`.`pretrial_measure` = 'arrest'
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m0`,
          CAST(SUM(CAST(COALESCE(`t3`.`prosecuted` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`,
          CAST(SUM(
            CAST(COALESCE((
              `t3`.`prosecuted` IS NOT NULL
            ) AND (
              `t3`.`prosecuted` = FALSE
            ), FALSE) AS BIGINT)
          ) AS INT) AS `m2`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t3`.`prosecuted` IS NOT NULL
              )
              AND (
                (
                  `t3`.`prosecuted` = FALSE
                )
                AND (
                  `t3`.`non_prosecution_ground` = 'no_crime'
                )
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m3`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t3`.`prosecuted` IS NOT NULL
              )
              AND (
                (
                  `t3`.`prosecuted` = FALSE
                )
                AND (
                  `t3`.`non_prosecution_ground` = 'insufficient_evidence'
                )
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m4`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t3`.`prosecuted` IS NOT NULL
              )
              AND (
                (
                  `t3`.`prosecuted` = FALSE
                ) AND (
                  `t3`.`non_prosecution_ground` = 'minor'
                )
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m5`,
          CAST(SUM(
            CAST(COALESCE((
              `t3`.`prosecuted` IS NOT NULL
            ) AND `t3`.`plea`, FALSE) AS BIGINT)
          ) AS INT) AS `m6`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t3`.`prosecuted` IS NOT NULL
              )
              AND (
                `t3`.`plea` AND (
                  `t3`.`plea_stage` = 'investigation'
                )
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m7`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t3`.`prosecuted` IS NOT NULL
              )
              AND (
                `t3`.`plea` AND (
                  `t3`.`plea_stage` = 'prosecution'
                )
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m8`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t3`.`prosecuted` IS NOT NULL
              )
              AND (
                `t3`.`plea` AND (
                  `t3`.`plea_stage` = 'trial'
                )
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m9`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t3`.`prosecuted` IS NOT NULL
              )
              AND (
                `t3`.`recommendation_type` IS NOT NULL
              )
              AND (
                `t3`.`recommendation_type` = 'definite'
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m10`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t3`.`prosecuted` IS NOT NULL
              )
              AND (
                `t3`.`recommendation_type` IS NOT NULL
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m11`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t3`.`prosecuted` IS NOT NULL
              )
              AND (
                `t3`.`evidence_excluded` IS NOT NULL
              )
              AND (
                `t3`.`evidence_excluded` > 0
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m12`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t3`.`prosecuted` IS NOT NULL
              )
              AND (
                `t3`.`evidence_excluded` IS NOT NULL
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m13`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t3`.`prosecuted` IS NOT NULL
              ) AND (
                `t3`.`supplementary_rounds` >= 2
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m14`
        FROM (
          SELECT
            *
          FROM `defendants` AS `t0`
          WHERE
            `t0`.`prosecution_decided_on` IS NOT NULL
        ) AS `t3`
        GROUP BY
          1,
          2,
          3,
          4,
          5,
          6,
          7
      ) AS `t13`
    ) AS `t19`
    UNION ALL
    SELECT
      *
    FROM (
      SELECT
        3 AS `part`,
        CAST(NULL AS STRING) AS `province`,
        CAST(NULL AS STRING) AS `prefecture`,
        `t14`.`county`,
        `t14`.`police`,
        `t14`.`procuratorate`,
        `t14`.`court`,
        `t14`.`crime_group`,
        `t14`.`procedure`,
        `t14`.`month`,
        CAST(NULL AS INT) AS `value`,
        `t14`.`m0`,
        `t14`.`m1`,
        `t14`.`m2`,
        `t14`.`m3`,
        `t14`.`m4`,
        `t14`.`m5`,
        `t14`.`m6`,
        `t14`.`m7`,
        `t14`.`m8`,
        `t14`.`m9`,
        `t14`.`m10`,
        `t14`.`m11`,
        `t14`.`m12`,
        `t14`.`m13`,
        `t14`.`m14`,
        `t14`.`m15`,
        `t14`.`m16`,
        `t14`.`m17`,
        `t14`.`m18`
      FROM (
        SELECT
          `t4`.`county_code` AS `county`,
          `t4`.`police_agency_id` AS `police`,
          `t4`.`procuratorate_id` AS `procuratorate`,
          `t4`.`court_id` AS `court`,
          `t4`.`crime_group`,
          `t4`.`procedure`,
          CAST((
            (
              EXTRACT(year FROM `t4`.`judgment_on`) * 12
            ) + EXTRACT(month FROM `t4`.`judgment_on`)
          ) - 1 AS INT) AS `month`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t4`.`verdict` IS NOT NULL
              )
              AND (
                `t4`.`court_decision` IS NOT NULL
              )
              AND (
                `t4`.`court_decision` = 'adopted'
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m0`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t4`.`verdict` IS NOT NULL
              ) AND (
                `t4`.`court_decision` IS NOT NULL
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m1`,
          CAST(SUM(
            CAST(COALESCE((
              `t4`.`verdict` IS NOT NULL
            ) AND (
              `t4`.`verdict` = 'acquitted'
            ), FALSE) AS BIGINT)
          ) AS INT) AS `m2`,
          CAST(SUM(CAST(COALESCE(`t4`.`verdict` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m3`,
          CAST(SUM(
            CAST(COALESCE((
              `t4`.`verdict` IS NOT NULL
            ) AND `t4`.`appealed`, FALSE) AS BIGINT)
          ) AS INT) AS `m4`,
          CAST(SUM(
            CAST(COALESCE((
              `t4`.`verdict` IS NOT NULL
            ) AND `t4`.`plea` AND `t4`.`appealed`, FALSE) AS BIGINT)
          ) AS INT) AS `m5`,
          CAST(SUM(
            CAST(COALESCE((
              `t4`.`verdict` IS NOT NULL
            ) AND `t4`.`plea`, FALSE) AS BIGINT)
          ) AS INT) AS `m6`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t4`.`verdict` IS NOT NULL
              ) AND NOT (
                `t4`.`plea`
              ) AND `t4`.`appealed`,
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m7`,
          CAST(SUM(
            CAST(COALESCE((
              `t4`.`verdict` IS NOT NULL
            ) AND NOT (
              `t4`.`plea`
            ), FALSE) AS BIGINT)
          ) AS INT) AS `m8`,
          CAST(SUM(
            CAST(COALESCE((
              `t4`.`verdict` = 'convicted'
            ) AND `t4`.`probation`, FALSE) AS BIGINT)
          ) AS INT) AS `m9`,
          CAST(SUM(CAST(COALESCE(`t4`.`verdict` = 'convicted', FALSE) AS BIGINT)) AS INT) AS `m10`,
          CAST(SUM(
            CAST(COALESCE((
              `t4`.`verdict` = 'convicted'
            ) AND `t4`.`plea` AND `t4`.`probation`, FALSE) AS BIGINT)
          ) AS INT) AS `m11`,
          CAST(SUM(
            CAST(COALESCE((
              `t4`.`verdict` = 'convicted'
            ) AND `t4`.`plea`, FALSE) AS BIGINT)
          ) AS INT) AS `m12`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t4`.`verdict` = 'convicted'
              ) AND NOT (
                `t4`.`plea`
              ) AND `t4`.`probation`,
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m13`,
          CAST(SUM(
            CAST(COALESCE((
              `t4`.`verdict` = 'convicted'
            ) AND NOT (
              `t4`.`plea`
            ), FALSE) AS BIGINT)
          ) AS INT) AS `m14`,
          CAST(SUM(
            CAST(COALESCE((
              `t4`.`verdict` IS NOT NULL
            ) AND (
              `t4`.`procedure` = 'fast_track'
            ), FALSE) AS BIGINT)
          ) AS INT) AS `m15`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t4`.`verdict` IS NOT NULL
              )
              AND (
                `t4`.`procedure` = 'fast_track'
              )
              AND (
                `t4`.`trial_days` <= 10
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m16`,
          CAST(SUM(
            CAST(COALESCE((
              `t4`.`verdict` IS NOT NULL
            ) AND (
              `t4`.`procedure` = 'fast_track'
            ), FALSE) AS BIGINT)
          ) AS INT) AS `m17`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t4`.`verdict` = 'convicted'
              )
              AND (
                `t4`.`evidence_basis` = 'confession_only'
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m18`
        FROM (
          SELECT
            *
          FROM `defendants` AS `t0`
          WHERE
            `t0`.`judgment_on` IS NOT NULL
        ) AS `t4`
        GROUP BY
          1,
          2,
          3,
          4,
          5,
          6,
          7
      ) AS `t14`
    ) AS `t20`
  ) AS `t23`
) AS `t26`
UNION ALL
SELECT
  *
FROM (
  SELECT
    *
  FROM (
    SELECT
      *
    FROM (
      SELECT
        4 AS `part`,
        CAST(NULL AS STRING) AS `province`,
        CAST(NULL AS STRING) AS `prefecture`,
        `t24`.`county`,
        `t24`.`police`,
        `t24`.`procuratorate`,
        `t24`.`court`,
        `t24`.`crime_group`,
        `t24`.`procedure`,
        `t24`.`month`,
        `t24`.`value`,
        `t24`.`m0`,
        `t24`.`m1`,
        `t24`.`m2`,
        `t24`.`m3`,
        `t24`.`m4`,
        0 AS `m5`,
        0 AS `m6`,
        0 AS `m7`,
        0 AS `m8`,
        0 AS `m9`,
        0 AS `m10`,
        0 AS `m11`,
        0 AS `m12`,
        0 AS `m13`,
        0 AS `m14`,
        0 AS `m15`,
        0 AS `m16`,
        0 AS `m17`,
        0 AS `m18`
      FROM (
        SELECT
          `t8`.`county_code` AS `county`,
          `t8`.`police_agency_id` AS `police`,
          `t8`.`procuratorate_id` AS `procuratorate`,
          `t8`.`court_id` AS `court`,
          `t8`.`crime_group`,
          `t8`.`procedure`,
          CAST((
            (
              EXTRACT(year FROM `t8`.`registered_on` + CAST(CONCAT(`t8`.`total_days`, ' days') AS INTERVAL)) * 12
            ) + EXTRACT(month FROM `t8`.`registered_on` + CAST(CONCAT(`t8`.`total_days`, ' days') AS INTERVAL))
          ) - 1 AS INT) AS `month`,
          `t8`.`total_days` AS `value`,
          CAST(SUM(CAST(COALESCE(`t8`.`total_days` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m0`,
          CAST(SUM(
            CAST(COALESCE((
              `t8`.`total_days` IS NOT NULL
            ) AND (
              `t8`.`near_limit_count` >= 1
            ), FALSE) AS BIGINT)
          ) AS INT) AS `m1`,
          CAST(SUM(
            CAST(COALESCE((
              `t8`.`total_days` IS NOT NULL
            ) AND (
              `t8`.`overdue_count` > 0
            ), FALSE) AS BIGINT)
          ) AS INT) AS `m2`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t8`.`total_days` IS NOT NULL
              )
              AND (
                (
                  `t8`.`verdict` = 'acquitted'
                ) OR (
                  `t8`.`prosecuted` = FALSE
                )
              )
              AND (
                `t8`.`custody_days` > 60
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m3`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t8`.`total_days` IS NOT NULL
              )
              AND (
                (
                  `t8`.`verdict` = 'acquitted'
                ) OR (
                  `t8`.`prosecuted` = FALSE
                )
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m4`
        FROM (
          SELECT
            *
          FROM `defendants` AS `t0`
          WHERE
            (
              `t0`.`registered_on` + CAST(CONCAT(`t0`.`total_days`, ' days') AS INTERVAL)
            ) IS NOT NULL
            AND `t0`.`total_days` IS NOT NULL
        ) AS `t8`
        GROUP BY
          1,
          2,
          3,
          4,
          5,
          6,
          7,
          8
      ) AS `t24`
    ) AS `t27`
    UNION ALL
    SELECT
      *
    FROM (
      SELECT
        5 AS `part`,
        CAST(NULL AS STRING) AS `province`,
        CAST(NULL AS STRING) AS `prefecture`,
        `t10`.`county`,
        `t10`.`police`,
        `t10`.`procuratorate`,
        `t10`.`court`,
        `t10`.`crime_group`,
        `t10`.`procedure`,
        `t10`.`month`,
        CAST(NULL AS INT) AS `value`,
        `t10`.`m0`,
        `t10`.`m1`,
        0 AS `m2`,
        0 AS `m3`,
        0 AS `m4`,
        0 AS `m5`,
        0 AS `m6`,
        0 AS `m7`,
        0 AS `m8`,
        0 AS `m9`,
        0 AS `m10`,
        0 AS `m11`,
        0 AS `m12`,
        0 AS `m13`,
        0 AS `m14`,
        0 AS `m15`,
        0 AS `m16`,
        0 AS `m17`,
        0 AS `m18`
      FROM (
        SELECT
          `t5`.`county_code` AS `county`,
          `t5`.`police_agency_id` AS `police`,
          `t5`.`procuratorate_id` AS `procuratorate`,
          `t5`.`court_id` AS `court`,
          `t5`.`crime_group`,
          `t5`.`procedure`,
          CAST((
            (
              EXTRACT(year FROM `t5`.`retrial_on`) * 12
            ) + EXTRACT(month FROM `t5`.`retrial_on`)
          ) - 1 AS INT) AS `month`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t5`.`retrial_outcome` IS NOT NULL
              )
              AND `t5`.`retrial_outcome` IN ('amended', 'acquitted'),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m0`,
          CAST(SUM(CAST(COALESCE(`t5`.`retrial_outcome` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`
        FROM (
          SELECT
            *
          FROM `defendants` AS `t0`
          WHERE
            `t0`.`retrial_on` IS NOT NULL
        ) AS `t5`
        GROUP BY
          1,
          2,
          3,
          4,
          5,
          6,
          7
      ) AS `t10`
    ) AS `t16`
  ) AS `t28`
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      *
    FROM (
      SELECT
        6 AS `part`,
        CAST(NULL AS STRING) AS `province`,
        CAST(NULL AS STRING) AS `prefecture`,
        `t11`.`county`,
        `t11`.`police`,
        `t11`.`procuratorate`,
        `t11`.`court`,
        `t11`.`crime_group`,
        `t11`.`procedure`,
        `t11`.`month`,
        CAST(NULL AS INT) AS `value`,
        `t11`.`m0`,
        `t11`.`m1`,
        `t11`.`m2`,
        `t11`.`m3`,
        `t11`.`m4`,
        0 AS `m5`,
        0 AS `m6`,
        0 AS `m7`,
        0 AS `m8`,
        0 AS `m9`,
        0 AS `m10`,
        0 AS `m11`,
        0 AS `m12`,
        0 AS `m13`,
        0 AS `m14`,
        0 AS `m15`,
        0 AS `m16`,
        0 AS `m17`,
        0 AS `m18`
      FROM (
        SELECT
          `t6`.`county_code` AS `county`,
          `t6`.`police_agency_id` AS `police`,
          `t6`.`procuratorate_id` AS `procuratorate`,
          `t6`.`court_id` AS `court`,
          `t6`.`crime_group`,
          `t6`.`procedure`,
          CAST((
            (
              EXTRACT(year FROM `t6`.`reviewed_on`) * 12
            ) + EXTRACT(month FROM `t6`.`reviewed_on`)
          ) - 1 AS INT) AS `month`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t6`.`review_grade` IS NOT NULL
              ) AND (
                `t6`.`review_grade` = 'excellent'
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m0`,
          CAST(SUM(CAST(COALESCE(`t6`.`review_grade` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m1`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t6`.`review_grade` IS NOT NULL
              ) AND (
                `t6`.`review_grade` = 'qualified'
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m2`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t6`.`review_grade` IS NOT NULL
              ) AND (
                `t6`.`review_grade` = 'flawed'
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m3`,
          CAST(SUM(
            CAST(COALESCE(
              (
                `t6`.`review_grade` IS NOT NULL
              )
              AND (
                `t6`.`review_grade` = 'unqualified'
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m4`
        FROM (
          SELECT
            *
          FROM `defendants` AS `t0`
          WHERE
            `t0`.`reviewed_on` IS NOT NULL
        ) AS `t6`
        GROUP BY
          1,
          2,
          3,
          4,
          5,
          6,
          7
      ) AS `t11`
    ) AS `t17`
    UNION ALL
    SELECT
      *
    FROM (
      SELECT
        7 AS `part`,
        `t7`.`province`,
        `t7`.`prefecture`,
        `t7`.`county`,
        CAST(NULL AS STRING) AS `police`,
        CAST(NULL AS STRING) AS `procuratorate`,
        CAST(NULL AS STRING) AS `court`,
        CAST(NULL AS STRING) AS `crime_group`,
        CAST(NULL AS STRING) AS `procedure`,
        CAST(NULL AS INT) AS `month`,
        CAST(NULL AS INT) AS `value`,
        `t7`.`m0`,
        0 AS `m1`,
        0 AS `m2`,
        0 AS `m3`,
        0 AS `m4`,
        0 AS `m5`,
        0 AS `m6`,
        0 AS `m7`,
        0 AS `m8`,
        0 AS `m9`,
        0 AS `m10`,
        0 AS `m11`,
        0 AS `m12`,
        0 AS `m13`,
        0 AS `m14`,
        0 AS `m15`,
        0 AS `m16`,
        0 AS `m17`,
        0 AS `m18`
      FROM (
        SELECT
          `t0`.`province_code` AS `province`,
          `t0`.`prefecture_code` AS `prefecture`,
          `t0`.`county_code` AS `county`,
          CAST(COUNT(*) AS INT) AS `m0`
        FROM `defendants` AS `t0`
        GROUP BY
          1,
          2,
          3
      ) AS `t7`
    ) AS `t9`
  ) AS `t21`
) AS `t29`
