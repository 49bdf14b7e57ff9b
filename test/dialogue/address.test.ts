/** Reading a typed delivery address. */
import { describe, expect, it } from "vitest";
import { parseAddress } from "../../src/dialogue/scenarios/modify-address.js";

const previous = { name: "张伟", phone: "13816605288", province: "上海", city: "上海市", district: "浦东新区", detail: "张杨路1688号" };

describe("parseAddress", () => {
  it.each([
    ["上海市徐汇区漕溪北路88号圣爱大厦", { province: "上海", city: "上海市", district: "徐汇区", detail: "漕溪北路88号圣爱大厦" }],
    ["北京市海淀区中关村大街27号", { province: "北京", city: "北京市", district: "海淀区", detail: "中关村大街27号" }],
    ["浙江省杭州市西湖区文三路259号", { province: "浙江", city: "杭州市", district: "西湖区", detail: "文三路259号" }],
    ["新疆乌鲁木齐市沙依巴克区友好北路689号", { province: "新疆", city: "乌鲁木齐市", district: "沙依巴克区", detail: "友好北路689号" }],
    ["广西壮族自治区南宁市青秀区民族大道100号", { province: "广西", city: "南宁市", district: "青秀区", detail: "民族大道100号" }],
    ["杭州市滨江区网商路699号", { province: "上海", city: "杭州市", district: "滨江区", detail: "网商路699号" }],
  ])("%s", (text, expected) => {
    expect(parseAddress(text, previous)).toMatchObject(expected);
  });

  it("takes a new phone number and name, and keeps the old ones otherwise", () => {
    expect(parseAddress("江苏省南京市鼓楼区汉中路185号 李娜 13911027734", previous)).toMatchObject({ name: "李娜", phone: "13911027734", detail: "汉中路185号" });
    expect(parseAddress("浦东新区张杨路500号", previous)).toMatchObject({ name: "张伟", phone: "13816605288", city: "上海市", district: "浦东新区" });
  });
});
