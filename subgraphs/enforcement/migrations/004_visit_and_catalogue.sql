-- Tasks wait for the joint visit (执法检查): the lead region tells every participant region when
-- the visit began, and a task is worked only from then on.
ALTER TABLE enforcement.tasks ADD COLUMN visit_started_at timestamptz;

-- Road transport enterprises are inspected for transport safety, not market order.
UPDATE enforcement.scenarios SET category = 'SAFETY_PRODUCTION' WHERE code = 'ROAD_TRANSPORT';

-- The catalogue grown to the Delta's 60 scenarios, ten in each of the six categories; the first
-- agency of a scenario is the one that usually leads it.
INSERT INTO enforcement.scenarios (code, name, category, agencies) VALUES
  ('METALLURGY_NONFERROUS',   '冶金有色企业安全检查',         'SAFETY_PRODUCTION',   '{EMERGENCY_MANAGEMENT,FIRE_RESCUE}'),
  ('DUST_EXPLOSION',          '粉尘涉爆企业安全检查',         'SAFETY_PRODUCTION',   '{EMERGENCY_MANAGEMENT,FIRE_RESCUE,ECOLOGY_ENVIRONMENT}'),
  ('CONFINED_SPACE',          '有限空间作业安全检查',         'SAFETY_PRODUCTION',   '{EMERGENCY_MANAGEMENT,HOUSING_CONSTRUCTION,URBAN_MANAGEMENT}'),
  ('GAS_USE_SAFETY',          '城镇燃气使用安全检查',         'SAFETY_PRODUCTION',   '{HOUSING_CONSTRUCTION,MARKET_REGULATION,FIRE_RESCUE}'),
  ('FIREWORKS_SALES',         '烟花爆竹经营安全检查',         'SAFETY_PRODUCTION',   '{EMERGENCY_MANAGEMENT,PUBLIC_SECURITY,MARKET_REGULATION}'),
  ('ELECTRIC_BICYCLE_SALES',  '电动自行车销售维修安全检查',   'SAFETY_PRODUCTION',   '{MARKET_REGULATION,FIRE_RESCUE,PUBLIC_SECURITY}'),
  ('HIGH_RISE_BUILDINGS',     '高层建筑消防检查',             'FIRE_SAFETY',         '{FIRE_RESCUE,HOUSING_CONSTRUCTION,URBAN_MANAGEMENT}'),
  ('ENTERTAINMENT_VENUES',    '娱乐场所消防检查',             'FIRE_SAFETY',         '{FIRE_RESCUE,PUBLIC_SECURITY}'),
  ('HOTELS_GUESTHOUSES',      '宾馆民宿消防检查',             'FIRE_SAFETY',         '{FIRE_RESCUE,PUBLIC_SECURITY,MARKET_REGULATION}'),
  ('ELDERLY_CARE_FIRE',       '养老机构消防检查',             'FIRE_SAFETY',         '{FIRE_RESCUE,HEALTH}'),
  ('HOSPITALS_FIRE',          '医疗机构消防检查',             'FIRE_SAFETY',         '{FIRE_RESCUE,HEALTH}'),
  ('SCHOOLS_FIRE',            '学校及校外培训机构消防检查',   'FIRE_SAFETY',         '{FIRE_RESCUE,PUBLIC_SECURITY}'),
  ('MIXED_USE_PREMISES',      '“三合一”场所消防检查',         'FIRE_SAFETY',         '{FIRE_RESCUE,URBAN_MANAGEMENT,PUBLIC_SECURITY}'),
  ('MARKETS_FIRE',            '商场市场消防检查',             'FIRE_SAFETY',         '{FIRE_RESCUE,MARKET_REGULATION}'),
  ('SCHOOL_CANTEENS',         '学校食堂食品安全检查',         'FOOD_DRUG',           '{MARKET_REGULATION,HEALTH}'),
  ('FOOD_PRODUCTION',         '食品生产企业检查',             'FOOD_DRUG',           '{MARKET_REGULATION,ECOLOGY_ENVIRONMENT}'),
  ('SMALL_FOOD_WORKSHOPS',    '食品小作坊检查',               'FOOD_DRUG',           '{MARKET_REGULATION,URBAN_MANAGEMENT}'),
  ('COLD_CHAIN_FOOD',         '冷链食品经营检查',             'FOOD_DRUG',           '{MARKET_REGULATION,TRANSPORT}'),
  ('FARMERS_MARKETS',         '农贸市场食品安全检查',         'FOOD_DRUG',           '{MARKET_REGULATION,URBAN_MANAGEMENT,HEALTH}'),
  ('MEDICAL_DEVICES',         '医疗器械经营使用检查',         'FOOD_DRUG',           '{MARKET_REGULATION,HEALTH}'),
  ('COSMETICS',               '化妆品经营检查',               'FOOD_DRUG',           '{MARKET_REGULATION}'),
  ('PHARMACEUTICAL_WHOLESALE', '药品批发企业检查',             'FOOD_DRUG',           '{MARKET_REGULATION,TRANSPORT}'),
  ('EXHAUST_GAS',             '涉气排放企业检查',             'ECOLOGY_ENVIRONMENT', '{ECOLOGY_ENVIRONMENT,EMERGENCY_MANAGEMENT}'),
  ('HAZARDOUS_WASTE',         '危险废物贮存处置检查',         'ECOLOGY_ENVIRONMENT', '{ECOLOGY_ENVIRONMENT,EMERGENCY_MANAGEMENT,TRANSPORT}'),
  ('MEDICAL_WASTE',           '医疗废物处置检查',             'ECOLOGY_ENVIRONMENT', '{ECOLOGY_ENVIRONMENT,HEALTH}'),
  ('LIVESTOCK_POLLUTION',     '畜禽养殖污染检查',             'ECOLOGY_ENVIRONMENT', '{ECOLOGY_ENVIRONMENT,URBAN_MANAGEMENT}'),
  ('CATERING_FUMES',          '餐饮油烟排放检查',             'ECOLOGY_ENVIRONMENT', '{URBAN_MANAGEMENT,ECOLOGY_ENVIRONMENT,MARKET_REGULATION}'),
  ('NOISE_POLLUTION',         '噪声污染检查',                 'ECOLOGY_ENVIRONMENT', '{ECOLOGY_ENVIRONMENT,PUBLIC_SECURITY,URBAN_MANAGEMENT}'),
  ('MOTOR_VEHICLE_EMISSIONS', '机动车排放检验机构检查',       'ECOLOGY_ENVIRONMENT', '{ECOLOGY_ENVIRONMENT,MARKET_REGULATION,PUBLIC_SECURITY}'),
  ('CROSS_BORDER_WATERS',     '跨界水体联合巡查',             'ECOLOGY_ENVIRONMENT', '{ECOLOGY_ENVIRONMENT,URBAN_MANAGEMENT,TRANSPORT}'),
  ('ILLEGAL_CONSTRUCTION',    '违法建设检查',                 'URBAN_MANAGEMENT',    '{URBAN_MANAGEMENT,HOUSING_CONSTRUCTION}'),
  ('STREET_VENDING',          '占道经营检查',                 'URBAN_MANAGEMENT',    '{URBAN_MANAGEMENT,MARKET_REGULATION}'),
  ('MUCK_TRANSPORT',          '渣土运输处置检查',             'URBAN_MANAGEMENT',    '{URBAN_MANAGEMENT,TRANSPORT,PUBLIC_SECURITY}'),
  ('PROPERTY_MANAGEMENT',     '物业服务企业检查',             'URBAN_MANAGEMENT',    '{HOUSING_CONSTRUCTION,URBAN_MANAGEMENT,FIRE_RESCUE}'),
  ('GROUP_RENTALS',           '群租房检查',                   'URBAN_MANAGEMENT',    '{URBAN_MANAGEMENT,PUBLIC_SECURITY,FIRE_RESCUE}'),
  ('CITY_APPEARANCE',         '市容环境卫生检查',             'URBAN_MANAGEMENT',    '{URBAN_MANAGEMENT}'),
  ('MUNICIPAL_FACILITIES',    '市政设施管护检查',             'URBAN_MANAGEMENT',    '{URBAN_MANAGEMENT,HOUSING_CONSTRUCTION,TRANSPORT}'),
  ('PARKING_LOTS',            '经营性停车场检查',             'URBAN_MANAGEMENT',    '{URBAN_MANAGEMENT,PUBLIC_SECURITY,MARKET_REGULATION}'),
  ('PRODUCT_QUALITY',         '产品质量监督检查',             'MARKET_ORDER',        '{MARKET_REGULATION}'),
  ('TRADEMARK_INFRINGEMENT',  '商标侵权假冒检查',             'MARKET_ORDER',        '{MARKET_REGULATION,PUBLIC_SECURITY}'),
  ('ADVERTISING',             '广告发布检查',                 'MARKET_ORDER',        '{MARKET_REGULATION,URBAN_MANAGEMENT}'),
  ('PREPAID_CARDS',           '单用途预付卡经营检查',         'MARKET_ORDER',        '{MARKET_REGULATION,PUBLIC_SECURITY}'),
  ('WAGE_ARREARS',            '拖欠农民工工资检查',           'MARKET_ORDER',        '{HUMAN_RESOURCES,HOUSING_CONSTRUCTION}'),
  ('HUMAN_RESOURCES_AGENCIES','人力资源服务机构检查',         'MARKET_ORDER',        '{HUMAN_RESOURCES,MARKET_REGULATION}'),
  ('REAL_ESTATE_BROKERAGE',   '房地产中介经营检查',           'MARKET_ORDER',        '{HOUSING_CONSTRUCTION,MARKET_REGULATION}'),
  ('ONLINE_CAR_HAILING',      '网约车经营检查',               'MARKET_ORDER',        '{TRANSPORT,PUBLIC_SECURITY,MARKET_REGULATION}');
