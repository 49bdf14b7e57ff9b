/** The demo shop's customers (documented in the README). Phone numbers are fictitious. */
import type { PostalAddress } from "../../db/schema.js";

export interface DemoCustomer {
  id: string;
  name: string;
  phone: string;
  email: string | null;
  vipLevel: number;
  region: string;
  city: string;
  address: PostalAddress;
  /** How many orders the seed generates for this customer. */
  orderCount: number;
}

const address = (name: string, phone: string, province: string, city: string, district: string, detail: string): PostalAddress => ({
  name,
  phone,
  province,
  city,
  district,
  detail,
});

export const demoCustomers: DemoCustomer[] = [
  {
    id: "c-1001",
    name: "张伟",
    phone: "13816605288",
    email: "zhangwei@example.com",
    vipLevel: 3,
    region: "上海",
    city: "上海市",
    address: address("张伟", "13816605288", "上海", "上海市", "浦东新区", "张杨路1688号时代花园12号楼1502室"),
    orderCount: 20,
  },
  {
    id: "c-1002",
    name: "李娜",
    phone: "13911027734",
    email: null,
    vipLevel: 0,
    region: "北京",
    city: "北京市",
    address: address("李娜", "13911027734", "北京", "北京市", "朝阳区", "望京西园三区305号楼2单元801"),
    orderCount: 16,
  },
  {
    id: "c-1003",
    name: "王芳",
    phone: "15013847762",
    email: "wangfang88@example.com",
    vipLevel: 1,
    region: "广东",
    city: "深圳市",
    address: address("王芳", "15013847762", "广东", "深圳市", "南山区", "科技园南区高新南七道数字大厦A座9楼"),
    orderCount: 14,
  },
  {
    id: "c-1004",
    name: "刘洋",
    phone: "18628016549",
    email: null,
    vipLevel: 0,
    region: "四川",
    city: "成都市",
    address: address("刘洋", "18628016549", "四川", "成都市", "武侯区", "玉林南路17号玉林小区4栋3单元602"),
    orderCount: 12,
  },
  {
    id: "c-1005",
    name: "陈静",
    phone: "13757190326",
    email: "chenjing@example.com",
    vipLevel: 2,
    region: "浙江",
    city: "杭州市",
    address: address("陈静", "13757190326", "浙江", "杭州市", "西湖区", "文三路259号昌地火炬大厦1号楼11层"),
    orderCount: 14,
  },
  {
    id: "c-1006",
    name: "赵磊",
    phone: "13999120458",
    email: null,
    vipLevel: 0,
    region: "新疆",
    city: "乌鲁木齐市",
    address: address("赵磊", "13999120458", "新疆", "乌鲁木齐市", "天山区", "解放南路126号红山公寓7栋501"),
    orderCount: 9,
  },
  {
    id: "c-1007",
    name: "黄敏",
    phone: "17751036610",
    email: null,
    vipLevel: 0,
    region: "江苏",
    city: "南京市",
    address: address("黄敏", "17751036610", "江苏", "南京市", "鼓楼区", "汉中路185号鸿运大厦2208"),
    orderCount: 3,
  },
];
