import type { RandomStream } from './seeded-random';

/**
 * Common Chinese surnames, most frequent first (national ranking, with 何, 罗, 向, 苟 and 岳 moved up as they are
 * in north-eastern Sichuan). Frequencies follow the ranking roughly as 1 / (rank + 3), Zipf-like, which gives
 * 王 about 35 times the share of the hundredth surname, as in census figures.
 */
const SURNAMES = [
  ...'王李张刘陈杨何黄赵罗吴周徐孙马朱胡郭高林郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢',
  ...'姜崔钟谭陆汪范金石廖贾夏向苟岳付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤蒲庞',
];
const SURNAME_WEIGHTS = SURNAMES.map((_, rank) => 1 / (rank + 3));

/** Characters frequent in given names, both sexes. */
const GIVEN_NAME_CHARACTERS = [
  ...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华平刚桂玉兰霞辉鹏林建国红梅琴云波斌宇浩凯健俊帆欣婷雪琳晨阳丹玲燕亮飞成龙志春海文晓德福学荣兵萍莉佳思雨梓涵轩博诗翠凤金贵先正永树清光宏远安康泽然航睿瑶怡彬',
];

/** Mobile number prefixes in use in mainland China. */
const PHONE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '173',
  '177',
  '180',
  '181',
  '182',
  '183',
  '184',
  '185',
  '186',
  '187',
  '188',
  '189',
  '198',
  '199',
];

/** Makes plausible synthetic names and mobile numbers, deterministically from a random stream. */
export interface PeopleFactory {
  /** A surname and a one- or two-character given name, e.g. 王建国, 李娜. */
  name(): string;
  /** An 11-digit mobile number starting with 1, unique among the numbers this factory has made. */
  phone(): string;
}

export function createPeopleFactory(random: RandomStream): PeopleFactory {
  const issuedPhones = new Set<string>();
  return {
    name: () => {
      const surname = SURNAMES[random.weightedIndex(SURNAME_WEIGHTS)]!;
      const givenLength = random.next() < 0.3 ? 1 : 2;
      let given = '';
      for (let index = 0; index < givenLength; index++) given += random.pick(GIVEN_NAME_CHARACTERS);
      return surname + given;
    },
    phone: () => {
      for (;;) {
        const phone = random.pick(PHONE_PREFIXES) + String(random.integer(0, 100_000_000)).padStart(8, '0');
        if (issuedPhones.has(phone)) continue;
        issuedPhones.add(phone);
        return phone;
      }
    },
  };
}
