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
      `t17`.`county`,
      `t17`.`police`,
      `t17`.`procuratorate`,
      `t17`.`court`,
      `t17`.`crime_group`,
      `t17`.`procedure`,
      `t17`.`month`,
      `t17`.`value`,
      `t17`.`m0`,
      `t17`.`m1`,
      `t17`.`m2`,
      `t17`.`m3`,
      `t17`.`m4`,
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
            EXTRACT(year FROM `t6`.`registered_on` + CAST(CONCAT(`t6`.`total_days`, ' days') AS INTERVAL)) * 12
          ) + EXTRACT(month FROM `t6`.`registered_on` + CAST(CONCAT(`t6`.`total_days`, ' days') AS INTERVAL))
        ) - 1 AS INT) AS `month`,
        `t6`.`total_days` AS `value`,
        CAST(SUM(CAST(COALESCE(`t6`.`total_days` IS NOT NULL, FALSE) AS BIGINT)) AS INT) AS `m0`,
        CAST(SUM(
          CAST(COALESCE((
            `t6`.`total_days` IS NOT NULL
          ) AND (
            `t6`.`near_limit_count` >= 1
          ), FALSE) AS BIGINT)
        ) AS INT) AS `m1`,
        CAST(SUM(
          CAST(COALESCE((
            `t6`.`total_days` IS NOT NULL
          ) AND (
            `t6`.`overdue_count` > 0
          ), FALSE) AS BIGINT)
        ) AS INT) AS `m2`,
        CAST(SUM(
          CAST(COALESCE(
            (
              `t6`.`total_days` IS NOT NULL
            )
            AND (
              (
                `t6`.`verdict` = 'acquitted'
              ) OR (
                `t6`.`prosecuted` = FALSE
              )
            )
            AND (
              `t6`.`custody_days` > 60
            ),
            FALSE
          ) AS BIGINT)
        ) AS INT) AS `m3`,
        CAST(SUM(
          CAST(COALESCE(
            (
              `t6`.`total_days` IS NOT NULL
            )
            AND (
              (
                `t6`.`verdict` = 'acquitted'
              ) OR (
                `t6`.`prosecuted` = FALSE
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
      ) AS `t6`
      GROUP BY
        1,
        2,
        3,
        4,
        5,
        6,
        7,
        8
    ) AS `t17`
  ) AS `t20`
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      5 AS `part`,
      `t5`.`province`,
      `t5`.`prefecture`,
      `t5`.`county`,
      CAST(NULL AS STRING) AS `police`,
      CAST(NULL AS STRING) AS `procuratorate`,
      CAST(NULL AS STRING) AS `court`,
      CAST(NULL AS STRING) AS `crime_group`,
      CAST(NULL AS STRING) AS `procedure`,
      CAST(NULL AS INT) AS `month`,
      CAST(NULL AS INT) AS `value`,
      `t5`.`m0`,
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
    ) AS `t5`
  ) AS `t7`
) AS `t21`
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
        0 AS `part`,
        CAST(NULL AS STRING) AS `province`,
        CAST(NULL AS STRING) AS `prefecture`,
        `t8`.`county`,
        `t8`.`police`,
        `t8`.`procuratorate`,
        `t8`.`court`,
        `t8`.`crime_group`,
        `t8`.`procedure`,
        `t8`.`month`,
        CAST(NULL AS INT) AS `value`,
        `t8`.`m0`,
        `t8`.`m1`,
        `t8`.`m2`,
        `t8`.`m3`,
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
      ) AS `t8`
    ) AS `t12`
    UNION ALL
    SELECT
      *
    FROM (
      SELECT
        1 AS `part`,
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
        `t11`.`m5`,
        `t11`.`m6`,
        `t11`.`m7`,
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
      ) AS `t11`
    ) AS `t15`
  ) AS `t18`
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
        `t9`.`county`,
        `t9`.`police`,
        `t9`.`procuratorate`,
        `t9`.`court`,
        `t9`.`crime_group`,
        `t9`.`procedure`,
        `t9`.`month`,
        CAST(NULL AS INT) AS `value`,
        `t9`.`m0`,
        `t9`.`m1`,
        `t9`.`m2`,
        `t9`.`m3`,
        `t9`.`m4`,
        `t9`.`m5`,
        `t9`.`m6`,
        `t9`.`m7`,
        `t9`.`m8`,
        `t9`.`m9`,
        `t9`.`m10`,
        `t9`.`m11`,
        `t9`.`m12`,
        0 AS `m13`,
        0 AS `m14`,
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
              ) AND (
                `t3`.`supplementary_rounds` >= 2
              ),
              FALSE
            ) AS BIGINT)
          ) AS INT) AS `m12`
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
      ) AS `t9`
    ) AS `t13`
    UNION ALL
    SELECT
      *
    FROM (
      SELECT
        3 AS `part`,
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
        `t10`.`m2`,
        `t10`.`m3`,
        `t10`.`m4`,
        `t10`.`m5`,
        `t10`.`m6`,
        `t10`.`m7`,
        `t10`.`m8`,
        `t10`.`m9`,
        `t10`.`m10`,
        `t10`.`m11`,
        `t10`.`m12`,
        `t10`.`m13`,
        `t10`.`m14`,
        `t10`.`m15`,
        `t10`.`m16`,
        `t10`.`m17`,
        `t10`.`m18`
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
      ) AS `t10`
    ) AS `t14`
  ) AS `t16`
) AS `t19`
