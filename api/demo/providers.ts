import { sql } from 'drizzle-orm';
import { createRandomStream, type RandomStream } from '../../geo/seeded-random.ts';
import type { Database, Queryable } from '../db/client.ts';
import type { ProviderFields } from '../providers/repository.ts';
import { providersRepository } from '../providers/repository.ts';

/** A village or community with the first cell of it (by code) and that cell's label point: where a provider sits. */
interface ProviderPlace {
  code: string;
  name: string;
  townshipCode: string;
  townshipName: string;
  urban: boolean;
  cellCode: string;
  position: [number, number];
}

const SURNAMES = ['李', '王', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '何', '罗', '苟', '岳', '向', '冯'];
const GIVEN = [
  '建国',
  '秀英',
  '明',
  '丽',
  '志强',
  '桂兰',
  '德华',
  '玉梅',
  '俊',
  '红',
  '光荣',
  '小平',
  '芳',
  '成',
  '海燕',
  '永福',
];

function contactOf(random: RandomStream): { contactName: string; contactPhone: string } {
  const name = `${SURNAMES[random.integer(0, SURNAMES.length)]}${GIVEN[random.integer(0, GIVEN.length)]}`;
  const digits = Array.from({ length: 8 }, () => random.integer(0, 10)).join('');
  return { contactName: name, contactPhone: `13${random.integer(0, 10)}${digits}` };
}

function pick<T>(random: RandomStream, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const chosen: T[] = [];
  while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(random.integer(0, pool.length), 1)[0]!);
  return chosen;
}

function someOf(random: RandomStream, services: readonly string[], least: number): string[] {
  return pick(random, services, least + random.integer(0, services.length - least + 1));
}

const CLINIC_SERVICES = ['基本医疗', '上门巡诊', '慢病随访', '家庭医生签约', '老年人体检', '疫苗接种'];
const VOLUNTEER_SERVICES = ['邻里互助', '助老助残', '防汛巡查', '环境整治', '矛盾调解', '留守儿童关爱'];
const ARTS_SERVICES = ['文艺演出', '政策宣讲', '广场舞教学', '川剧坐唱', '节庆活动'];

/** Companies and NGOs of the county seat, serving the urban core or the whole county. */
const COUNTY_PROVIDERS: readonly (Pick<ProviderFields, 'name' | 'category' | 'services'> & { serves: 'urban' | 'county' })[] = [
  { name: '通江县安居物业服务有限公司', category: 'company', services: ['物业维修', '小区保洁', '安全巡查'], serves: 'urban' },
  { name: '通江县顺达家政服务有限公司', category: 'company', services: ['家政', '上门护理', '月嫂'], serves: 'urban' },
  { name: '通江县绿源环卫保洁有限公司', category: 'company', services: ['道路保洁', '垃圾清运', '河道清漂'], serves: 'county' },
  { name: '通江县银耳产业服务有限公司', category: 'company', services: ['农技指导', '产销对接'], serves: 'county' },
  {
    name: '通江县阳光社会工作服务中心',
    category: 'ngo',
    services: ['心理疏导', '社区矫正帮扶', '困境儿童关爱'],
    serves: 'county',
  },
  { name: '通江县法律援助志愿者协会', category: 'ngo', services: ['法律援助', '矛盾调解', '普法宣传'], serves: 'county' },
  { name: '通江县红枫老年协会', category: 'ngo', services: ['助老服务', '老年活动'], serves: 'urban' },
  { name: '通江县青少年成长服务中心', category: 'ngo', services: ['课后托管', '青少年心理辅导'], serves: 'urban' },
];

/**
 * About forty demo providers (多元主体) across the county, the same for the same seed and county:
 * a health centre (卫生院) in a dozen townships, volunteer teams and arts teams in villages, and
 * the county seat's companies and NGOs. Each sits at the label point of the first cell of its
 * village (its township's first village for a health centre) and serves that village or township.
 */
function planDemoProviders(places: readonly ProviderPlace[], seed: number): ProviderFields[] {
  const random = createRandomStream(seed, 'demo-providers');
  const townships = new Map<string, ProviderPlace>();
  for (const place of places) if (!townships.has(place.townshipCode)) townships.set(place.townshipCode, place);
  const seat = places.find((place) => place.urban) ?? places[0];
  if (!seat) return [];
  const urbanTownships = [...new Set(places.filter((place) => place.urban).map((place) => place.townshipCode))];
  const county = seat.townshipCode.slice(0, 6);
  const providers: ProviderFields[] = [];
  for (const township of pick(random, [...townships.values()], 12)) {
    providers.push({
      name: `${township.townshipName}卫生院`,
      category: 'clinic',
      services: someOf(random, CLINIC_SERVICES, 3),
      serviceAreaCodes: [township.townshipCode],
      position: township.position,
      areaCode: township.cellCode,
      ...contactOf(random),
    });
  }
  const rural = places.filter((place) => !place.urban);
  const villages = pick(random, rural.length >= 20 ? rural : places, 20);
  villages.forEach((village, index) => {
    const volunteer = index < 12;
    providers.push({
      name: `${village.name}${volunteer ? '志愿服务队' : '文艺队'}`,
      category: volunteer ? 'volunteer' : 'arts',
      services: someOf(random, volunteer ? VOLUNTEER_SERVICES : ARTS_SERVICES, 2),
      serviceAreaCodes: [village.code],
      position: village.position,
      areaCode: village.cellCode,
      ...contactOf(random),
    });
  });
  const seatPlaces = places.filter((place) => place.urban);
  for (const [index, provider] of COUNTY_PROVIDERS.entries()) {
    const place = seatPlaces[index % Math.max(1, seatPlaces.length)] ?? seat;
    providers.push({
      name: provider.name,
      category: provider.category,
      services: [...provider.services],
      serviceAreaCodes: provider.serves === 'urban' && urbanTownships.length > 0 ? urbanTownships : [county],
      position: place.position,
      areaCode: place.cellCode,
      ...contactOf(random),
    });
  }
  return providers;
}

async function providerPlaces(db: Queryable): Promise<ProviderPlace[]> {
  const rows = await db.rows<Omit<ProviderPlace, 'position'> & { lng: number; lat: number }>(sql`
    SELECT v.code, v.name, t.code AS "townshipCode", t.name AS "townshipName", COALESCE(t.urban, false) AS urban,
      c.code AS "cellCode", ST_X(c.label_point) AS lng, ST_Y(c.label_point) AS lat
    FROM areas v
    JOIN areas t ON t.code = v.parent_code
    JOIN LATERAL (SELECT code, label_point FROM areas c WHERE c.level = 'cell' AND c.code ^@ v.code ORDER BY c.code LIMIT 1) c ON true
    WHERE v.level = 'village' ORDER BY v.code`);
  return rows.map(({ lng, lat, ...rest }) => ({ ...rest, position: [Number(lng), Number(lat)] }));
}

/**
 * Gives the embedded demo its service providers, once: only while there are none, so a county
 * with providers of its own keeps them. Returns how many it wrote.
 */
export async function ensureDemoProviders(db: Database, options: { seed: number }): Promise<number> {
  const existing = await providersRepository(db).list();
  if (existing.length > 0) return 0;
  const planned = planDemoProviders(await providerPlaces(db), options.seed);
  await db.transaction(async (tx) => {
    const repository = providersRepository(tx);
    for (const [index, provider] of planned.entries()) {
      await repository.insert(`P${String(index + 1).padStart(3, '0')}`, provider);
    }
  });
  return planned.length;
}
