import type { RandomStream } from '../../geo/seeded-random.ts';
import type { ReportType } from '../vocabulary/report-types.ts';

/** What informants write, per type: a few phrasings each, joined with a place word, for the demo and drills. */
const PHRASES: Record<ReportType, readonly string[]> = {
  landslide: [
    '边坡出现滑移，坡脚有土石堆积，坡顶可见新裂缝',
    '雨后山体局部下滑，已冲毁部分菜地，下方有两户住房',
    '房后山坡土体松动下错约三十公分，树木歪斜',
  ],
  rockfall: [
    '省道旁边坡有落石，路面散落碎石，坡面岩体松动',
    '山崖掉块，一块约半方的石头滚落到村道上',
    '危岩体裂隙加宽，夜间听到掉石声',
  ],
  ground_crack: ['院坝出现贯通裂缝，宽约两公分，仍在延伸', '田坎开裂下沉，裂缝长约十米', '房屋墙体新出现斜向裂缝'],
  flood: ['河水上涨漫过便桥，两岸低洼处进水', '排水沟堵塞，暴雨后路面积水半米', '山洪冲毁堤坎一段，农田被淹'],
  fire: ['山林冒烟，疑似烧田坎引发火情', '居民楼下电动车起火，已疏散楼内人员', '厨房油锅起火，已扑灭，需查看线路'],
  road_damage: ['村道路面塌陷一处，坑深约四十公分', '桥梁护栏被撞断，夜间通行危险', '道路边沟垮塌，路基悬空'],
  production_safety: ['小作坊违规存放液化气罐十余个', '建筑工地脚手架未设防护网', '砂石场夜间违规作业，粉尘较大'],
  epidemic: ['村内多人发热咳嗽，请卫生院上门排查', '养殖户生猪异常死亡三头', '学校出现聚集性腹泻病例'],
  dispute: ['两户因宅基地界址发生争执，情绪激动', '邻里因排水问题多次争吵', '务工人员讨要工资，聚集在工地门口'],
  other: ['路灯损坏一周未修，夜间出行不便', '垃圾收集点满溢，气味较大', '独居老人多日未见出门，请网格员上门看看'],
};

const PLACES = ['村委会附近', '小学旁', '河边', '组上', '公路边', '集镇街口', '后山', '安置点旁'];

export function descriptionOf(type: ReportType, random: RandomStream): string {
  return `${random.pick(PLACES)}：${random.pick(PHRASES[type])}`;
}
