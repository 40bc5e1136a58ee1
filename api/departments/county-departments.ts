import type { ReportType } from '../vocabulary/report-types.ts';

/** A county department: a bureau, a Party or mass organisation, a service centre. */
export interface CountyDepartment {
  /** D01–D65, this project's own codes. */
  code: string;
  name: string;
  /**
   * The lines (条线) it answers for: a cadre of the department sees, within its area scope, every
   * case of these report types, besides those dispatched or co-assigned to its department
   * (migrations/0009). Most departments have none: they see only what is sent to them.
   */
  reportTypes: readonly ReportType[];
}

/**
 * The 65 county departments of the "1+4+N" network that place cadres in grids (部门干部下沉网格): the
 * government bureaus, the Party and mass organisations, and the service centres a county like Tongjiang has.
 * Names are those in common use; codes D01–D65 are this project's own, in this order. The lines follow each
 * body's usual remit: geohazards with natural resources, floods with water resources and the weather service,
 * fires with the fire brigade and forestry, disputes with justice, petitions and the political-legal committee;
 * emergency management coordinates every hazard. migrations/0009 wrote the same lines into databases seeded
 * before it; a change here must come with a migration doing the same.
 */
const DEPARTMENTS: readonly Omit<CountyDepartment, 'code'>[] = [
  { name: '县应急管理局', reportTypes: ['production_safety', 'flood', 'fire', 'landslide', 'rockfall', 'ground_crack'] },
  { name: '县自然资源局', reportTypes: ['landslide', 'rockfall', 'ground_crack'] },
  { name: '县公安局', reportTypes: ['dispute'] },
  { name: '县卫生健康局', reportTypes: ['epidemic'] },
  { name: '县水利局', reportTypes: ['flood'] },
  { name: '县生态环境局', reportTypes: ['other'] },
  { name: '县住房和城乡建设局', reportTypes: ['production_safety'] },
  { name: '县民政局', reportTypes: [] },
  { name: '县司法局', reportTypes: ['dispute'] },
  { name: '县农业农村局', reportTypes: [] },
  { name: '县发展和改革局', reportTypes: [] },
  { name: '县教育局', reportTypes: [] },
  { name: '县科学技术局', reportTypes: [] },
  { name: '县经济和信息化局', reportTypes: [] },
  { name: '县财政局', reportTypes: [] },
  { name: '县人力资源和社会保障局', reportTypes: [] },
  { name: '县交通运输局', reportTypes: ['road_damage'] },
  { name: '县商务局', reportTypes: [] },
  { name: '县文化广播电视和旅游局', reportTypes: [] },
  { name: '县退役军人事务局', reportTypes: [] },
  { name: '县审计局', reportTypes: [] },
  { name: '县市场监督管理局', reportTypes: ['production_safety'] },
  { name: '县统计局', reportTypes: [] },
  { name: '县医疗保障局', reportTypes: [] },
  { name: '县林业局', reportTypes: ['fire'] },
  { name: '县乡村振兴局', reportTypes: [] },
  { name: '县综合行政执法局', reportTypes: ['other'] },
  { name: '县信访局', reportTypes: ['dispute'] },
  { name: '县行政审批局', reportTypes: [] },
  { name: '县体育局', reportTypes: [] },
  { name: '县机关事务服务中心', reportTypes: [] },
  { name: '县国有资产监督管理局', reportTypes: [] },
  { name: '县投资促进局', reportTypes: [] },
  { name: '县粮食和物资储备局', reportTypes: [] },
  { name: '县气象局', reportTypes: ['flood'] },
  { name: '县消防救援大队', reportTypes: ['fire'] },
  { name: '县人民武装部', reportTypes: [] },
  { name: '县总工会', reportTypes: [] },
  { name: '共青团通江县委', reportTypes: [] },
  { name: '县妇女联合会', reportTypes: [] },
  { name: '县残疾人联合会', reportTypes: [] },
  { name: '县科学技术协会', reportTypes: [] },
  { name: '县工商业联合会', reportTypes: [] },
  { name: '县红十字会', reportTypes: [] },
  { name: '县委组织部', reportTypes: [] },
  { name: '县委宣传部', reportTypes: [] },
  { name: '县委统战部', reportTypes: [] },
  { name: '县委政法委员会', reportTypes: ['dispute'] },
  { name: '县纪委监委', reportTypes: [] },
  { name: '县委社会工作部', reportTypes: [] },
  { name: '县委机构编制委员会办公室', reportTypes: [] },
  { name: '县人民法院', reportTypes: [] },
  { name: '县人民检察院', reportTypes: [] },
  { name: '县税务局', reportTypes: [] },
  { name: '县银耳产业发展中心', reportTypes: [] },
  { name: '县疾病预防控制中心', reportTypes: ['epidemic'] },
  { name: '县供销合作社联合社', reportTypes: [] },
  { name: '县畜牧兽医中心', reportTypes: ['epidemic'] },
  { name: '县公路事务中心', reportTypes: ['road_damage'] },
  { name: '县住房公积金管理中心', reportTypes: [] },
  { name: '县融媒体中心', reportTypes: [] },
  { name: '县档案馆', reportTypes: [] },
  { name: '县数据局', reportTypes: [] },
  { name: '县委党校', reportTypes: [] },
  { name: '县民族宗教事务局', reportTypes: [] },
];

/** The departments, D01 to D65, in a fixed order. */
export const COUNTY_DEPARTMENTS: readonly CountyDepartment[] = DEPARTMENTS.map((department, index) => ({
  code: `D${String(index + 1).padStart(2, '0')}`,
  ...department,
}));
