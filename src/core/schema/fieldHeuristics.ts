// Property names -> the realistic generator that fits them. Keys are lowercased names with
// "_", "-" and spaces removed, so `first_name`, `firstName` and `First-Name` match alike.
const EXACT: Readonly<Record<string, string>> = {
  email: 'email', emailaddress: 'email', mail: 'email',
  firstname: 'firstName', givenname: 'firstName', forename: 'firstName',
  lastname: 'lastName', surname: 'lastName', familyname: 'lastName',
  name: 'fullName', fullname: 'fullName', customername: 'fullName', displayname: 'fullName',
  username: 'userName', login: 'userName', handle: 'userName',
  city: 'city', town: 'city', country: 'country', countryname: 'country', countrycode: 'countryCode',
  street: 'street', address: 'street', streetaddress: 'street', addressline1: 'street', line1: 'street',
  zip: 'postalCode', zipcode: 'postalCode', postalcode: 'postalCode', postcode: 'postalCode',
  phone: 'phone', phonenumber: 'phone', mobile: 'phone', telephone: 'phone',
  sku: 'sku', productcode: 'sku',
  product: 'productName', productname: 'productName', itemname: 'productName',
  category: 'department', department: 'department',
  currency: 'currency', currencycode: 'currency',
  useragent: 'userAgent',
  url: 'url', website: 'url', homepage: 'url', link: 'url',
  host: 'hostname', hostname: 'hostname', domain: 'hostname',
  ip: 'ipv4', ipaddress: 'ipv4', sourceip: 'ipv4', clientip: 'ipv4',
  description: 'sentence', comment: 'sentence', note: 'sentence', notes: 'sentence', title: 'sentence',
  price: 'price', unitprice: 'price', amount: 'price', total: 'price', subtotal: 'price', cost: 'price', totalamount: 'price',
  quantity: 'quantity', qty: 'quantity', count: 'quantity',
  age: 'age', latitude: 'latitude', lat: 'latitude', longitude: 'longitude', lon: 'longitude', lng: 'longitude',
  percent: 'percent', percentage: 'percent', discount: 'percent',
  timestamp: 'dateTime', createdat: 'dateTime', updatedat: 'dateTime', occurredat: 'dateTime', time: 'dateTime', datetime: 'dateTime',
  date: 'date', birthdate: 'date', dateofbirth: 'date',
  tsms: 'epochMillis', timestampms: 'epochMillis',
};

/** A narrower generator to try when the name's own cannot meet the schema (e.g. a 2-letter pattern). */
export const HEURISTIC_FALLBACKS: Readonly<Record<string, string>> = {
  country: 'countryCode', fullName: 'lastName', street: 'lastName', productName: 'word', sentence: 'word',
};

/**
 * The generator a property name suggests for a value of `type`, or undefined. Names ending
 * in `Id`/`_id` get UUIDs, in `At`/`_at` date-times (integers: epoch ms), in `Email` emails.
 */
export function heuristicFor(propertyName: string | undefined, type: 'string' | 'number' | 'integer'): string | undefined {
  if (propertyName === undefined) return undefined;
  const key = propertyName.toLowerCase().replace(/[_\-\s]/g, '');
  let name: string | undefined = EXACT[key];
  if (name === undefined) {
    if (/(Id|_id|ID)$/.test(propertyName) || key === 'id' || key === 'uuid' || key === 'guid') name = 'uuid';
    else if (/(At|_at)$/.test(propertyName)) name = 'dateTime';
    else if (key.endsWith('email')) name = 'email';
    else if (key.endsWith('price') || key.endsWith('amount')) name = 'price';
  }
  if (name === undefined) return undefined;
  return fits(name, type) ?? undefined;
}

function fits(name: string, type: 'string' | 'number' | 'integer'): string | undefined {
  if (type === 'string') return ['price', 'quantity', 'age', 'latitude', 'longitude', 'percent', 'epochMillis'].includes(name) ? undefined : name;
  if (type === 'integer') {
    if (name === 'dateTime' || name === 'epochMillis') return 'epochMillis';
    return name === 'quantity' || name === 'age' ? name : undefined;
  }
  return ['price', 'quantity', 'age', 'latitude', 'longitude', 'percent'].includes(name) ? name : undefined;
}
