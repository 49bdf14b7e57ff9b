/** Every scenario the bot handles. To add one: write its file next to these and list it here. */
import type { FormSpec } from "../forms.js";
import { account } from "./account.js";
import { cancelOrderForm } from "./cancel-order.js";
import { complaint } from "./complaint.js";
import { deliveryProblem } from "./delivery-problem.js";
import { exchange } from "./exchange.js";
import { humanAgent } from "./human-agent.js";
import { invoice } from "./invoice.js";
import { logistics } from "./logistics.js";
import { modifyAddress } from "./modify-address.js";
import { orderStatus } from "./order-status.js";
import { payment } from "./payment.js";
import { productInfo } from "./product-info.js";
import { productUsage } from "./product-usage.js";
import { promotion } from "./promotion.js";
import { refundProgress } from "./refund-progress.js";
import { repairWarranty } from "./repair-warranty.js";
import { returnRefund } from "./return-refund.js";
import { shippingTime } from "./shipping-time.js";
import { sizeAdvice } from "./size-advice.js";
import { chitchat, farewell, greeting } from "./smalltalk.js";
import { stock } from "./stock.js";
import { ticketStatus } from "./ticket-status.js";

/** Scenarios that act on the shop's order and product data. */
export const shopScenarios: FormSpec[] = [
  orderStatus,
  logistics,
  shippingTime,
  cancelOrderForm,
  modifyAddress,
  returnRefund,
  refundProgress,
  exchange,
  invoice,
  productInfo,
  stock,
  productUsage,
  sizeAdvice,
  deliveryProblem,
  promotion,
  payment,
  repairWarranty,
  complaint,
  account,
  humanAgent,
  ticketStatus,
];

export const scenarios: FormSpec[] = [...shopScenarios, greeting, farewell, chitchat];
