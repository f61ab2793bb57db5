import { Module } from '@nestjs/common';
import { ControlPlaneTransactions } from './control-plane-transactions';

@Module({
  providers: [ControlPlaneTransactions],
  exports: [ControlPlaneTransactions],
})
export class ControlPlaneTransactionsModule {}
